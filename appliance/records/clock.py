"""Time for records and the board: an injectable clock and short local display forms."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def system_clock() -> datetime:
    """Now, timezone-aware (UTC)."""
    return datetime.now(UTC)


def parse_iso(value: str) -> datetime:
    """A stored ISO timestamp as an aware datetime (naive values are taken as UTC)."""
    when = datetime.fromisoformat(value)
    return when if when.tzinfo else when.replace(tzinfo=UTC)


def hhmm(value: str | None) -> str:
    """'14:05' in local time for a stored timestamp; '' for None."""
    if not value:
        return ""
    return parse_iso(value).astimezone().strftime("%H:%M")


def day_hhmm(value: str | None) -> str:
    """'23/11 14:05' in local time for a stored timestamp; '' for None."""
    if not value:
        return ""
    return parse_iso(value).astimezone().strftime("%d/%m %H:%M")
