"""Combining rankings: reciprocal-rank fusion, and the lexical + semantic document fusion.

Two kinds of fusion happen in search. Within the lexical side, rankings of the same documents
by related bm25 queries (the words as typed, the expanded query, each document's best section)
are merged by plain reciprocal rank (:func:`rrf`): their scores are not comparable, their ranks
are. Between the lexical and the semantic side, :func:`hybrid` merges the document rankings
with weights that depend on how much the query has in common with the pack's words.

Why not fixed weights: which side is stronger depends on the pack and the query. On the sample
pack's clinical shorthand (short queries, synonym lists) bm25 is stronger than the embedder; on
consumer-health questions against documents titled by the question they answer, the embedder
is. A fixed weight tuned on one loses on the other (lexical 1.0 / vector 0.2, tuned on the
sample pack, put hybrid below vector alone on real questions). The semantic side's own evidence
says which case a query is in: when its nearest section is very near (cosine distance ``near``
or less), the question has been asked almost in those words and the vector ranking is trusted
(weight ``vector_near``); when it is far (``far`` or more) the vector ranking only reorders the
lexical one (``vector_far``); in between the weight slides. The values were chosen on the two
tuning sets together (the sample pack's 260 queries and the real questions' tuning half), for
the largest worst-case margin over the better single mode; the held-out sets are reported
beside them by ``bench search_scale`` and gated by the tests.
"""

from __future__ import annotations

from collections.abc import Sequence
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


@dataclass(frozen=True)
class HybridWeights:
    """Weights of the lexical and semantic document rankings in :func:`hybrid`.

    The vector ranking's weight slides from ``vector_far`` (its nearest section at cosine
    distance ``far`` or more) to ``vector_near`` (at ``near`` or less): see the module docstring.
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


def hybrid(lexical: Sequence[int], vector: Sequence[int], distances: Sequence[float],
           weights: HybridWeights) -> dict[int, float]:
    """Document -> fused score of the lexical and the semantic document ranking
    (``distances``: cosine distance of each ``vector`` document's nearest section)."""
    nearest = distances[0] if distances else None
    return rrf_scores([(lexical, weights.lexical), (vector, weights.vector(nearest))], weights.k)
