"""Other organisations' policies, with their text only: the issue's targets on every batch.

Each batch was written before the matcher was run on it. First-run scores (top-1 ja / en,
right passage among those quoted, out-of-scope declined, main behaviour suggested):

| policy | batch | before (phrases on our passages) | first run with concepts |
|---|---|---|---|
| belc-retail | batch1 | 26.3 / 0 / 20.0 / 100 / – | 81.6 / 91.7 / 92.0 / 100 / 100 |
| gogin-bank | batch1 | 22.9 / 0 / 17.8 / 100 / – | 91.4 / 80.0 / 93.3 / 91.7 / 90 |
| keiaikai-hospital | batch1 | 18.2 / 0 / 16.3 / 100 / – | 84.8 / 80.0 / 90.7 / 100 / 100 |
| belc-retail | batch2 (after round 1) | | 84.6 / 87.5 / 88.2 / 100 / 100 |
| gogin-bank | batch2 (after round 1) | | 87.5 / 85.7 / 93.5 / 100 / 100 |
| keiaikai-hospital | batch2 (after round 1) | | 81.0 / 85.7 / 92.9 / 80.0 / 100 |
| tokyostar-bank | batch1 (never tuned on) | | 96.0 / 87.5 / 100 / 100 / 100 |
| belc-retail | batch3 (after round 2) | | 100 / 100 / 100 / 87.5 / 100 |
| gogin-bank | batch3 (after round 2) | | 88.9 / 100 / 100 / 87.5 / 75 |
| keiaikai-hospital | batch3 (after round 2) | | 100 / 75.0 / 94.1 / 100 / 100 |
| hirosaki-city | batch1 (never tuned on) | | 81.8 / 100 / 89.3 / 100 / 100 |
| hirosaki-city | batch2 (after round 3) | | 83.3 / 100 / 87.5 / 100 / 100 |
| tokyostar-bank | batch2 (after round 3) | | 91.7 / 100 / 100 / 100 / 100 |

Round 3 was tuned on the round-2 batches, hirosaki batch1 and the bundled fresh6. Rounds 1–3
changed the concepts (data/concepts.json) and the shared cue lists only; no
organisation file carries phrases.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.policy.document import load_policy
from bot.policy.evaluate import evaluate, format_report
from bot.policy.matcher import PolicyMatcher

ORGS = Path(__file__).parent / "orgs"
BATCHES = sorted(ORGS.glob("*.batch*.jsonl"))


def test_the_organisations_have_batches() -> None:
    names = {p.name.split(".")[0] for p in BATCHES}
    assert names == {
        "belc-retail",
        "gogin-bank",
        "keiaikai-hospital",
        "hirosaki-city",
        "tokyostar-bank",
    }


@pytest.mark.parametrize("path", BATCHES, ids=[p.stem for p in BATCHES])
def test_targets_for_another_organisation(path: Path) -> None:
    policy = load_policy(ORGS / f"{path.name.split('.')[0]}.json")
    assert not any(p.phrases or p.hints for p in policy.passages), "text only"
    report = evaluate(path, PolicyMatcher(policy))
    text = format_report(report)
    assert report.in_scope["ja"].top1 >= 0.70, text
    assert report.in_scope["en"].top1 >= 0.50, text
    assert report.in_scope["all"].recall_at_3 >= 0.85, text
    assert report.out_of_scope_declined >= 0.85, text
    assert report.suggestions is not None
    assert report.suggestions.any_right >= 0.95, text


def test_main_behaviour_is_suggested_across_all_report_lines() -> None:
    hits = total = 0
    for path in BATCHES:
        policy = load_policy(ORGS / f"{path.name.split('.')[0]}.json")
        report = evaluate(path, PolicyMatcher(policy))
        assert report.suggestions is not None
        hits += round(report.suggestions.main_suggested * report.suggestions.reports)
        total += report.suggestions.reports
    assert hits / total >= 0.85
