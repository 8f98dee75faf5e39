"""Honest skips: a missing service or package skips a test on a workstation, fails it in CI.

A green CI run must mean every backend was tested, so under ``CI=true`` the same absence that
skips locally is a failure naming what to install or start.
"""

from __future__ import annotations

import os
from typing import NoReturn

import pytest


def in_ci() -> bool:
    """True when the suite runs in CI (``CI=true``, as ``.ci/run`` sets it)."""
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


def unavailable(reason: str) -> NoReturn:
    """Skip the test because *reason*; in CI, fail it instead."""
    if in_ci():
        pytest.fail(f"{reason} (CI=true: a missing dependency is a failure, not a skip)",
                    pytrace=False)
    pytest.skip(reason)
