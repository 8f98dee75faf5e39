"""bm25 scores of a query's postings (for :mod:`appliance.protocols.bm25`), as FTS5 computes them.

``parts`` are each query phrase's postings: (rows holding it, ascending; its column-weighted
frequency there; its idf). ``norm`` is each row's length factor ``K1 * (1 - b + b * len/avg)``.
Scores are FTS5's sign (negative, lower is better); a row's score sums its phrases' in phrase
order, whichever way the rows are grouped, so every path here gives the same floats.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import numpy as np

K1 = 1.2
# A query phrase's postings: rows holding it, weighted frequencies, its idf.
Part = tuple["np.ndarray", "np.ndarray", float]


def score(norm: np.ndarray, parts: list[Part], within: tuple[int, int] | None,
          limit: int) -> list[tuple[int, float]]:
    """FTS5's bm25 of the rows (in ``within``) holding any of the phrases' postings."""
    import numpy as np

    if within is not None:
        cut = []
        for span_rows, span_freqs, term_idf in parts:
            lo, hi = np.searchsorted(span_rows, [within[0], within[1] + 1])
            cut.append((span_rows[lo:hi], span_freqs[lo:hi], term_idf))
        parts = cut
    parts = [p for p in parts if len(p[0])]
    if not parts:
        return []
    rows = np.concatenate([p[0] for p in parts])
    freqs = np.concatenate([p[1] for p in parts]).astype(np.float64)
    idf = np.concatenate([np.full(len(p[0]), p[2]) for p in parts])
    points = idf * freqs * (K1 + 1.0) / (freqs + norm[rows])
    if len(rows) > len(norm) // 8:
        # Many postings: one slot per row of the table beats sorting them (the same sums:
        # bincount adds in input order, as it does through the sort's inverse).
        unique = np.flatnonzero(np.bincount(rows, minlength=len(norm)))
        total = -np.bincount(rows, weights=points, minlength=len(norm))[unique]
    else:
        unique, inverse = np.unique(rows, return_inverse=True)
        total = -np.bincount(inverse, weights=points)
    if len(unique) > limit:
        keep = np.argpartition(total, limit - 1)[:limit]
        unique, total = unique[keep], total[keep]
    order = np.lexsort((unique, total))
    return [(int(r), float(s)) for r, s in zip(unique[order], total[order], strict=True)]


def score_spans(norm: np.ndarray, parts: list[Part], spans: list[tuple[int, int]],
                limit: int) -> list[list[tuple[int, float]]]:
    """:func:`score` within each of ``spans`` (disjoint rowid ranges, as documents' sections
    are), all spans at once: one slice per phrase rather than one per phrase and span."""
    import numpy as np

    los = np.array([lo for lo, _ in spans], dtype=np.int64)
    his = np.array([hi for _, hi in spans], dtype=np.int64) + 1
    by_lo = np.argsort(los, kind="stable")
    if np.any(los[by_lo][1:] < his[by_lo][:-1]):  # overlapping: each span on its own
        return [score(norm, parts, span, limit) for span in spans]
    picked_rows, picked_freqs, picked_idf = [], [], []
    for rows, freqs, term_idf in parts:
        starts, ends = np.searchsorted(rows, los), np.searchsorted(rows, his)
        lengths = ends - starts
        n = int(lengths.sum())
        if not n:
            continue
        # Positions starts[i] .. ends[i] - 1 of every span, in span order.
        at = np.repeat(starts - np.concatenate(([0], np.cumsum(lengths)[:-1])), lengths)
        at += np.arange(n)
        picked_rows.append(rows[at])
        picked_freqs.append(freqs[at])
        picked_idf.append(np.full(n, term_idf))
    if not picked_rows:
        return [[] for _ in spans]
    rows = np.concatenate(picked_rows)
    freqs = np.concatenate(picked_freqs).astype(np.float64)
    points = np.concatenate(picked_idf) * freqs * (K1 + 1.0) / (freqs + norm[rows])
    unique, inverse = np.unique(rows, return_inverse=True)
    total = -np.bincount(inverse, weights=points)
    # Each row's span; then best first within a span, ties by rowid (as score orders them).
    owner = by_lo[np.searchsorted(los[by_lo], unique, side="right") - 1]
    order = np.lexsort((unique, total, owner))
    out: list[list[tuple[int, float]]] = [[] for _ in spans]
    for i in order.tolist():
        found = out[int(owner[i])]
        if len(found) < limit:
            found.append((int(unique[i]), float(total[i])))
    return out
