"""The hand-written evaluation set: no under-triage, without making everything Immediate."""

from __future__ import annotations

from collections import Counter

from tests.triage.evaluate import evaluate, load_cases


def test_the_set_covers_every_priority_and_disposition_adults_and_children() -> None:
    cases = load_cases()
    assert len(cases) >= 80
    assert set(Counter(c["expected"]["priority"] for c in cases)) == {1, 2, 3, 4, 5}
    assert {c["expected"]["disposition"] for c in cases} == {"emergency", "urgent", "routine",
                                                            "self-care"}
    ages = [c["input"].get("age") for c in cases if c["input"].get("age") is not None]
    assert sum(a < 16 for a in ages) >= 15 and sum(a >= 16 for a in ages) >= 50


def test_no_under_triage_and_high_agreement() -> None:
    ev = evaluate()
    print(f"\nexact {ev.exact}/{ev.total} = {ev.agreement:.2f}; "
          f"under {len(ev.under)}; over {len(ev.over)}")
    assert ev.under == []
    assert ev.agreement >= 0.7
    assert len(ev.over) <= ev.total * 0.2
