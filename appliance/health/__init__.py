"""Device health: what the machine reports (``readings``) and what Lifeboat does (``policy``).

``readings.read(data_dir)`` samples battery, disk, memory, CPU load and temperatures through
psutil; ``policy.evaluate(readings, settings)`` turns a sample into a ``PowerState`` (assistant
threads, pause, warning level, advice). The policy is a pure function so every threshold edge is
tested with injected readings.
"""
