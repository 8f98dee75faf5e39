"""Combining rankings: reciprocal-rank fusion, and the lexical + semantic document fusion.

Two kinds of fusion happen in search. Within the lexical side, rankings of the same documents
by related bm25 queries (the words as typed, the expanded query, each document's best section)
are merged by plain reciprocal rank (:func:`rrf`): their scores are not comparable, their ranks
are. Between the lexical and the semantic side, :func:`hybrid` adds the two sides' scores, each
made comparable first: a document's bm25 over the query's best match (1 for the best), and its
nearest section's cosine similarity scaled over the candidates (1 for the nearest, 0 for the
farthest), weighted ``LEXICAL_SHARE`` to the rest.

Why scores and not ranks between the sides: which side is stronger depends on the pack and the
query (bm25 on the sample pack's clinical shorthand, the embedder on consumer-health questions
against documents titled by the question they answer), and ranks throw away how sure each side
is. A document far ahead on one side stays ahead unless the other side disagrees strongly; with
reciprocal ranks every side's fifth place is worth the same, sure or not. Weighted reciprocal
rank with the vector weight slid by the nearest distance (the previous fusion), and variants of
it, could not be kept at or above the better single mode on all the tuning sets at once (the
sample pack's 260 queries, and the real questions' tuning half on the whole MedQuAD corpus and
on the test suite's 240-document subset); the score sum, with one parameter, could, over a
range of its values. ``LEXICAL_SHARE`` and the scalings were chosen there, by the largest
worst-case margin over the better single mode (taken with each value's neighbours); the held-out
sets are reported by ``bench search_scale`` and gated by the tests. Figures in
``docs/performance.md``.

Sections (section search, and the section shown for each document) are fused by the same
:func:`hybrid` score. Ranks are still merged where only ranks exist: documents of a pack indexed
before document-level ranking, ranked through their sections with :class:`HybridWeights`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass

RRF_K = 60
CANDIDATES = 60


def rrf(rankings: Sequence[Sequence[int]], weights: Sequence[float] | None = None,
        limit: int | None = CANDIDATES, k: int = RRF_K) -> list[int]:
    """Reciprocal-rank fusion of rankings (equal weights by default), best first, ties by id."""
    score: dict[int, float] = {}
    for i, ranked in enumerate(rankings):
        weight = weights[i] if weights else 1.0
        for rank, item in enumerate(ranked):
            score[item] = score.get(item, 0.0) + weight / (k + rank + 1)
    return sorted(score, key=lambda r: (-score[r], r))[:limit]


# The lexical side's share of a document's fused score in :func:`hybrid` (see the module
# docstring; the semantic side has the rest).
LEXICAL_SHARE = 0.55


@dataclass(frozen=True)
class HybridWeights:
    """Weights of the lexical and semantic rankings where they are merged by rank (documents
    ranked through their sections, and a single mode's ranking).

    The vector ranking's weight slides from ``vector_far`` (its nearest section at cosine
    distance ``far`` or more) to ``vector_near`` (at ``near`` or less): the nearer the query is
    to a section, the more the semantic side is trusted.
    """

    lexical: float = 1.0
    vector_far: float = 0.2
    vector_near: float = 3.0
    near: float = 0.3
    far: float = 0.5
    k: int = RRF_K

    def vector(self, nearest: float | None) -> float:
        """The vector ranking's weight when its best section is at distance ``nearest``."""
        if nearest is None or self.far <= self.near:
            return self.vector_far
        t = min(1.0, max(0.0, (self.far - nearest) / (self.far - self.near)))
        return self.vector_far + t * (self.vector_near - self.vector_far)


def rrf_scores(rankings: Sequence[tuple[Sequence[int], float]], k: int = RRF_K
               ) -> dict[int, float]:
    """Weighted reciprocal-rank scores of ``(ranking, weight)`` pairs."""
    score: dict[int, float] = {}
    for ranked, weight in rankings:
        for rank, item in enumerate(ranked):
            score[item] = score.get(item, 0.0) + weight / (k + rank + 1)
    return score


def hybrid(lexical: Mapping[int, float], vector: Sequence[int], distances: Sequence[float],
           lexical_share: float = LEXICAL_SHARE) -> dict[int, float]:
    """Document -> fused score (see the module docstring).

    ``lexical``: each lexically matched document's bm25 over the best's (0-1); ``vector`` the
    semantic ranking with ``distances``, the cosine distance of each one's nearest section.
    """
    score = {doc: lexical_share * s for doc, s in lexical.items()}
    if vector:
        near, far = min(distances), max(distances)
        spread = far - near
        for doc, distance in zip(vector, distances, strict=True):
            semantic = (far - distance) / spread if spread > 0 else 1.0
            score[doc] = score.get(doc, 0.0) + (1.0 - lexical_share) * semantic
    return score
