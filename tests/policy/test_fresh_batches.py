"""Fresh question batches, each written before the matcher was tuned on it.

fresh1–3 were written in turn, each scored once before any change it prompted (first-run
scores: fresh1 ja 92.6 % / en 81.8 % / OOS 100 %; fresh2 ja 83.3 % / en 83.3 % / OOS 77.8 %;
fresh3 ja 84.2 % / en 87.0 % / OOS 94.4 %). fresh4 and fresh5 came with the concept layer
(issue 14) and carry report lines for the 推定 suggestions: fresh4 was written before the concept
matcher first ran (ja 91.4 % / en 100 % / OOS 100 %; main behaviour suggested 90 %), fresh5 after
the concepts were tuned on fresh4 and three other organisations' first batches (ja 93.3 % /
en 100 % / OOS 91.7 %; suggestions 100 %), fresh6 after a second round tuned on the
organisations' second batches (ja 92.6 % / en 100 % / OOS 90 %; suggestions 100 %; one line that
equalled a held-out question was reworded before scoring), fresh7 (small) after a third round
(ja 75 % / en 75 % / OOS 100 %; one OOS line equal to a fresh3 line reworded; its misses
showed a lost list of stance words and three missing verbs (死んで, 殺して, 異動させろ),
added afterwards). They are kept here so a vocabulary or scoring change that loses what they
taught shows up. Two fresh2 lines that happened to equal
held-out questions word for word were reworded afterwards.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy.evaluate import evaluate, format_report, read_questions
from bot.policy.matcher import PolicyMatcher
from tests.policy.conftest import DEV_PATH, HELDOUT_PATH, need
from tests.policy.test_evaluate import OOS_DECLINED, TOP1_EN, TOP1_JA

HERE = Path(__file__).parent
BATCHES = sorted(HERE.glob("fresh*.jsonl"))


def test_the_batches_are_there() -> None:
    assert [p.name for p in BATCHES] == [f"fresh{n}.jsonl" for n in range(1, 8)]


@pytest.mark.parametrize("path", BATCHES, ids=[p.stem for p in BATCHES])
def test_fresh_batch_meets_the_targets(matcher: PolicyMatcher, path: Path) -> None:
    report = evaluate(path, matcher)
    assert report.in_scope["ja"].top1 >= TOP1_JA, format_report(report)
    if report.in_scope["en"].questions >= 10:  # four lines are no measure (fresh7)
        assert report.in_scope["en"].top1 >= TOP1_EN, format_report(report)
    assert report.out_of_scope_declined >= OOS_DECLINED, format_report(report)


@pytest.mark.parametrize("path", BATCHES, ids=[p.stem for p in BATCHES])
def test_fresh_batch_is_new_and_well_formed(path: Path) -> None:
    rows = [r for r in read_questions(path) if not r.is_report]
    assert len(rows) >= 25
    assert {r.lang for r in rows} == {"ja", "en"}
    # About a fifth out of scope, as staff questions are.
    assert 0.15 <= sum(not r.in_scope for r in rows) / len(rows) <= 0.25
    others = {r.text for r in read_questions(need(DEV_PATH))}
    others |= {r.text for r in read_questions(HELDOUT_PATH)}
    others |= {r.text for p in BATCHES if p != path for r in read_questions(p)}
    assert not others & {r.text for r in rows}
