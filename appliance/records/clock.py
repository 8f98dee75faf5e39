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


def parse_local_time(text: str, now: datetime, field: str = "incident_time") -> datetime:
    """Parse '14:05' (today), '23/11 14:05', '23/11/2026 14:05' or ISO as local time.

    Raises ValidationError naming ``field`` for unreadable times and times in the future.
    """
    from appliance.errors import ValidationError

    raw = " ".join(text.split())
    local_now = now.astimezone()
    when: datetime | None = None
    for fmt in ("%H:%M", "%H%M", "%d/%m %H:%M", "%d/%m/%Y %H:%M"):
        try:
            parsed = datetime.strptime(raw, fmt)
        except ValueError:
            continue
        if fmt in ("%H:%M", "%H%M"):
            parsed = parsed.replace(year=local_now.year, month=local_now.month,
                                    day=local_now.day)
        elif fmt == "%d/%m %H:%M":
            parsed = parsed.replace(year=local_now.year)
        when = parsed.replace(tzinfo=local_now.tzinfo)
        break
    if when is None:
        try:
            when = datetime.fromisoformat(raw)
        except ValueError:
            raise ValidationError("Write the time as 14:05, or 23/11/2026 14:05.",
                                  field=field) from None
        if when.tzinfo is None:
            when = when.replace(tzinfo=local_now.tzinfo)
    if (when - now).total_seconds() > 300:
        raise ValidationError("That time is in the future.", field=field)
    return when.astimezone(UTC)
