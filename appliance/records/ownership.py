"""Whose entry is it: the check that keeps edits of another user's entries in the amendment flow.

Forms save whole records. On an entry someone else made, a save may fill in what is still blank
(that adds information, e.g. identifying an unknown patient) but may not change or clear a
value already recorded: that is a correction, which goes through
:func:`appliance.records.amendments.amend` with a reason, keeping the original, and needs the
right to amend others' entries. Checked here, in the domain, so every shell obeys it.
"""

from __future__ import annotations

from typing import Any

from appliance.errors import PermissionDenied
from appliance.session import Session

_BOOKKEEPING = {"updated_at", "unknown"}


def _same(old: Any, new: Any) -> bool:
    if old == new:
        return True
    return str(old).strip() == str(new).strip() if new is not None else False


def refuse_overwrite(session: Session, table: str, owner_column: str, entity_id: str,
                     changes: dict[str, Any], what: str) -> None:
    """Raise PermissionDenied when ``changes`` would alter values another user recorded."""
    rows = session.db.query(f"SELECT * FROM {table} WHERE id = ?", (entity_id,))
    if not rows:
        return
    row = rows[0]
    if row.get(owner_column) in (None, session.user.id):
        return
    altered = sorted(f for f, new in changes.items()
                     if f not in _BOOKKEEPING and f in row and row[f] not in (None, "")
                     and not _same(row[f], new))
    if altered:
        names = ", ".join(f.replace("_", " ") for f in altered)
        raise PermissionDenied(
            f"This {what} was recorded by another user: {names} cannot be changed by saving "
            "the form. Nothing was saved.",
            hint="Correct it with F9 (Correct) and give a reason; the original value is kept.")
