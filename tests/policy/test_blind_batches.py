"""Blind batches (issue 14 QA pass): written as a stranger would, before the matcher was run.

`bundled*.jsonl` score the bundled policy; `sony-support.*` (an electronics maker's support
page) and `rarecrew-care.*` (a care company) are real published policies no concept had been
tuned on, converted with their text only (`*.source.txt` gives the address). Thresholds sit a
little under the levels reached, so a regression fails while the honest misses stay.

First run = the batch's very first score, before anything was changed because of it; "after"
names the round of fixes it was written after (r1–r4, see the commits; r5 moved two
everyday words, 車椅子 and drill, to hints after rarecrew batch3).
Top-1 ja / top-1 en / right passage among those quoted / out-of-scope declined:

| set | after | first run | now |
|---|---|---|---|
| bundled1 (50 ja, 20 en, 15 OOS, 20 rep) | – | 98.0 / 85.0 / 98.6 / 93.3 | 100 / 95.0 / 100 / 100 |
| sony batch1 (40 ja, 10 en, 10 OOS) | – | 85.0 / 80.0 / 88.0 / 90.0 | 97.5 / 100 / 98.0 / 90.0 |
| bundled2 (30 ja, 10 en, 10 OOS) | r1 | 86.7 / 100 / 95.0 / 90.0 | 86.7 / 100 / 95.0 / 90.0 |
| sony batch2 (20 ja) | r1 | 80.0 / – / 95.0 / – | 85.0 / – / 95.0 / – |
| bundled3 (20 ja, 8 en, 8 OOS, 6 rep.) | r2 | 80.0 / 87.5 / 82.1 / 100 | 100 / 100 / 100 / 100 |
| rarecrew b1 (20 ja, 6 en, 6 OOS) | r2 | 85.0 / 83.3 / 88.5 / 100 | 95.0 / 100 / 96.2 / 100 |
| bundled4 (20 ja, 8 en, 6 OOS) | r3 | 95.0 / 87.5 / 92.9 / 100 | (not tuned on) |
| rarecrew batch2 (15 ja, 5 en, 5 OOS) | r3 | 66.7 / 80.0 / 80.0 / 100 | 93.3 / 100 / 95.0 / 100 |
| rarecrew batch3 (12 ja, 4 en, 4 OOS) | r4 | 91.7 / 100 / 93.8 / 50.0 | 91.7 / 100 / 93.8 / 100 |

Report suggestions (bundled1, bundled3): main behaviour suggested 100 %, one right 100 %.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy.document import load_policy
from bot.policy.evaluate import evaluate, format_report
from bot.policy.matcher import PolicyMatcher

BLIND = Path(__file__).parent / "blind"

# file, policy (None: bundled), floors: top-1 ja, top-1 en, recall@3 all, OOS declined
CASES = [
    ("bundled1.jsonl", None, 0.95, 0.90, 0.95, 0.90),
    ("bundled2.jsonl", None, 0.85, 0.90, 0.90, 0.85),
    ("bundled3.jsonl", None, 0.90, 0.85, 0.90, 0.85),
    ("bundled4.jsonl", None, 0.90, 0.85, 0.90, 0.85),
    ("sony-support.batch1.jsonl", "sony-support.json", 0.90, 0.85, 0.90, 0.85),
    ("sony-support.batch2.jsonl", "sony-support.json", 0.80, None, 0.90, None),
    ("rarecrew-care.batch1.jsonl", "rarecrew-care.json", 0.85, 0.80, 0.90, 0.85),
    ("rarecrew-care.batch2.jsonl", "rarecrew-care.json", 0.85, 0.80, 0.90, 0.85),
    ("rarecrew-care.batch3.jsonl", "rarecrew-care.json", 0.85, 0.75, 0.90, 0.75),
]


@pytest.mark.parametrize("case", CASES, ids=[c[0] for c in CASES])
def test_blind_batch_levels(
    case: tuple[str, str | None, float, float | None, float, float | None],
) -> None:
    name, policy_name, ja, en, recall, oos = case
    policy = load_policy(BLIND / policy_name if policy_name else None)
    if policy_name:
        assert not any(p.phrases or p.hints for p in policy.passages), "text only"
    report = evaluate(BLIND / name, PolicyMatcher(policy))
    text = format_report(report)
    assert report.in_scope["ja"].top1 >= ja, text
    if en is not None:
        assert report.in_scope["en"].top1 >= en, text
    assert report.in_scope["all"].recall_at_3 >= recall, text
    if oos is not None:
        assert report.out_of_scope_declined >= oos, text
    if report.suggestions is not None:
        assert report.suggestions.main_suggested >= 0.85, text
        assert report.suggestions.any_right >= 0.95, text


def test_a_covering_concept_is_quoted_before_the_covered_one(matcher: PolicyMatcher) -> None:
    """concepts.json `covers`: kneeling to apologise is ④, the apology demand only comes second."""
    for text in ("土下座で謝罪しろと要求された", "He demanded that I kneel and apologize"):
        assert matcher.answer(text).matches[0].passage.id == "s2.04"
    assert matcher.answer("謝罪文を書けと言われた").matches[0].passage.id == "s2.12"
