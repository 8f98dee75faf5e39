"""Which key slots a data-key rotation can re-wrap, and re-issuing the ones it cannot.

A slot of the older kind holds the data key under its user's PIN only, so without that PIN it
cannot be given the new key. Rather than wait for every such user to sign in, an IT admin may
re-issue them: the old slot is dropped and a new one sealed under a one-time PIN the admin
chooses and hands over, marked must-change (the user chooses their own at the next sign-in,
as after ``lifeboat user add``). The rotation audits each re-issue.
"""

from __future__ import annotations

from appliance.errors import LifeboatError
from appliance.security import keyslots


def older_kind(slots: dict[str, keyslots.Slot]) -> list[str]:
    """Users whose slot only their own PIN can re-wrap."""
    return sorted(u for u, s in slots.items() if not s.boxed)


def rewrapped(slots: dict[str, keyslots.Slot], data_key: bytes,
              reissue: dict[str, str] | None) -> dict[str, keyslots.Slot]:
    """Every slot opening ``data_key``: boxed ones re-wrapped, older ones re-issued under the
    one-time PIN in ``reissue`` (refused, naming the users, when one is missing; the caller
    has checked the PINs against the PIN rules)."""
    older = older_kind(slots)
    missing = [u for u in older if u not in (reissue or {})]
    if missing:
        have = "has a key slot" if len(missing) == 1 else "have key slots"
        raise LifeboatError(
            f"The data key was not rotated: {', '.join(missing)} still {have} of the older "
            "kind, which only their own PIN can re-wrap.",
            hint="Ask them to sign in once (that upgrades the slot), disable them, or re-issue "
                 "them: `lifeboat user rotate-key --reissue-old-slots --as ITADMIN` (you give "
                 "each a one-time PIN; they choose their own at their next sign-in).")
    out: dict[str, keyslots.Slot] = {}
    for username, slot in slots.items():
        if slot.boxed:
            out[username] = keyslots.rewrap(slot, data_key)
            continue
        out[username] = keyslots.seal(username, (reissue or {})[username], data_key, slot.kdf,
                                      must_change=True, created=slot.created)
    return out
