"""Blind batches (issue 14 QA pass): written as a stranger would, before the matcher was run.

`bundled*.jsonl` score the bundled policy; `sony-support.*` a real published policy that no
concept was tuned on (text only, tests/policy/blind/sony-support.source.txt). The thresholds
are a little under the levels reached, so a regression fails while honest misses stay.

| set | first run: top-1 ja / en / right among quoted / OOS declined | after the fixes |
|---|---|---|
| bundled1 (50 ja, 20 en, 15 OOS, 20 reports) | 98.0 / 85.0 / 98.6 / 93.3 | 100 / 95.0 / 100 / 100 |
| sony batch1 (40 ja, 10 en, 10 OOS) | 85.0 / 80.0 / 88.0 / 90.0 | 90.0 / 90.0 / 96.0 / 90.0 |
| bundled2 (30 ja, 10 en, 10 OOS), after the fixes | 86.7 / 100 / 95.0 / 90.0 | not tuned on |
| sony batch2 (20 ja), after the fixes | 80.0 / – / 95.0 / – | not tuned on |
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
    ("bundled2.jsonl", None, 0.85, 0.90, 0.90, 0.90),
    ("sony-support.batch1.jsonl", "sony-support.json", 0.85, 0.80, 0.90, 0.85),
    ("sony-support.batch2.jsonl", "sony-support.json", 0.75, None, 0.90, None),
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
