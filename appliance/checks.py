"""One self-check result, shared by every area that contributes checks to ``lifeboat doctor``.

It lives in the base layer so that ``models`` and the domain can both report checks without
importing each other.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from typing import Any


@dataclass
class Check:
    """A check's outcome: ``status`` is ok, warn or fail; ``hint`` says what to do about it."""

    name: str
    status: str  # ok | warn | fail
    detail: str
    hint: str = ""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)
