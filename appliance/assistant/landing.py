"""Search hits landed on their best line: a hit opens its document at the section and line
that answer the query, with a snippet cut from that line (issue 14, item 3). The line is
chosen as answers choose it (:mod:`appliance.assistant.answers`), leaning less on the
search's own section choice."""

from __future__ import annotations

from dataclasses import replace
from typing import Any

from appliance.assistant.answer_terms import SearcherLike, idf_weights, line_index, term_groups
from appliance.assistant.answers import WEIGHTS, features, lines_of, rank, weigh
from appliance.assistant.question import read_question
from appliance.protocols.lines import Line
from appliance.protocols.snippets import snippet

LAND_WEIGHTS = {**WEIGHTS, "section": 0.2}
"""Landing a search hit chooses its line and so its section: it leans on the search's own
section choice less. 0.18–0.25 tie on the tuning set (143 of 156 land on the fact, 0.15 and
0.1 fewer); the least of them is kept (docs/performance.md)."""
LAND_SEMANTIC = 3
"""Search hits whose line is chosen as answers choose it (with line embeddings); the rest are
placed by words and question type only, which is cheap enough for search as you type."""


def land(query: str, hits: list[Any], searcher: SearcherLike) -> list[Any]:
    """Search hits re-pointed at the best line of their document for ``query``: its section,
    heading path, line and a snippet cut from that line (so a hit opens where the answer is)."""
    chosen: dict[str, Line] = {}
    if hits:
        for s in rank(query, searcher, hits=hits[:LAND_SEMANTIC], weights=LAND_WEIGHTS)[0]:
            chosen.setdefault(s.line.doc_id, s.line)
    index = line_index(searcher)
    groups, surface = term_groups(query, searcher)
    idf = idf_weights(index, surface)
    total = sum(idf) or 1.0
    q = read_question(query)
    marks = searcher.plan(query).marks if hasattr(searcher, "plan") else []
    out = []
    for hit in hits:
        best: tuple[float, Line] | None = None
        if hit.doc_id in chosen:
            best = (0.0, chosen[hit.doc_id])
        for line in [] if best else lines_of(index, hit):
            if line.plain.endswith(":"):
                continue
            f = features(q, line, groups, idf, total, in_section=line.section_id == hit.section_id)
            f["embed"] = f["doc"] = 0.0
            score = weigh(f, LAND_WEIGHTS)
            if best is None or score > best[0]:
                best = (score, line)
        if best is None:
            out.append(hit)
            continue
        line = best[1]
        out.append(replace(hit, section_id=line.section_id, heading_path=line.heading_path,
                           line=line.plain, snippet=snippet(line.shown, marks)))
    return out
