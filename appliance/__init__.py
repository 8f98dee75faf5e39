"""Lifeboat's domain core: records, protocols, triage, assistant, health and security.

Nothing in this package imports the UI (textual) or the web layer; the TUI, the command line
and the hub server are thin shells over it.
"""

__version__ = "0.1.0"
