"""Benchmarks. Each module here defines ``run(quick: bool) -> dict``; the runner prints JSON.

Targets are checked as ratios against a baseline measured in the same run (machines are noisy),
never as timed assertions in tests.
"""
