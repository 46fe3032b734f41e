"""Five more published policies (issue 16), converted with their text only and questioned
before the matcher had ever been run on them: a taxi and bus group (第一交通産業), a municipal
gender-equality centre run by a foundation (とよなか男女共同参画推進財団), a café chain
(スターバックス コーヒー ジャパン), a railway and bus group (静鉄グループ) and a food-service
coffee supplier (UCCコーヒープロフェッショナル). `*.source.txt` gives each stored page's
address and where the stored copy ends.

Every batch was committed on its own before its first run (`git log -- tests/policy/unseen`,
commits "Unseen policies: …"): batch1 of the first three before any change; their batch2 and
the railway group's batch1 after rounds 1–2, which were tuned on the batch1s only (the railway
group's policy had never been seen). Round 3 followed those first runs; the coffee supplier's
batch was written after it, on a policy never seen, and round 4 (取引先 as a customer cue)
followed its first run. The rounds
changed general causes only (see the commits and test_generalisation.py); no policy file
carries phrases.

Top-1 ja / top-1 en / right passage among those quoted / out-of-scope declined / main behaviour
suggested. Floors sit a little under "now".

| batch (ja / en / OOS / reports) | after | first run | now (round 4) |
|---|---|---|---|
| daiichi-koutsu b1 (31/8/8/4) | – | 71.0/87.5/82.1/100/100 | 96.8/100/100/100/100 |
| toyonaka-danjo b1 (30/7/8/4) | – | 86.7/85.7/89.2/100/100 | 93.3/100/94.6/100/100 |
| starbucks-japan b1 (29/8/8/4) | – | 75.9/62.5/78.4/87.5/100 | 86.2/87.5/91.9/100/100 |
| daiichi-koutsu b2 (15/5/5/2) | r2 | 86.7/80.0/90.0/100/100 | 93.3/100/100/100/100 |
| toyonaka-danjo b2 (15/5/5/2) | r2 | 80.0/80.0/90.0/100/100 | 93.3/100/100/100/100 |
| starbucks-japan b2 (15/5/5/2) | r2 | 80.0/60.0/80.0/80.0/100 | 86.7/80.0/95.0/100/100 |
| shizutetsu-group b1 (25/6/7/3) | r2 | 80.0/66.7/80.6/100/100 | 92.0/100/93.5/100/100 |
| ucc-coffee-professional b1 (22/6/6/2) | r3 | 81.8/100/89.3/100/100 | 86.4/100/92.9/100/100 |
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.policy.document import load_policy
from bot.policy.evaluate import evaluate, format_report
from bot.policy.matcher import PolicyMatcher

UNSEEN = Path(__file__).parent / "unseen"
BATCHES = sorted(UNSEEN.glob("*.batch*.jsonl"))
NAMES = sorted(p.stem for p in UNSEEN.glob("*.json"))

# batch, floors: top-1 ja, top-1 en, recall@3 all, OOS declined
FLOORS = {
    "daiichi-koutsu.batch1": (0.90, 0.95, 0.95, 0.95),
    "daiichi-koutsu.batch2": (0.90, 0.95, 0.95, 0.95),
    "toyonaka-danjo.batch1": (0.90, 0.95, 0.90, 0.95),
    "toyonaka-danjo.batch2": (0.90, 0.95, 0.95, 0.95),
    "starbucks-japan.batch1": (0.85, 0.85, 0.90, 0.95),
    "starbucks-japan.batch2": (0.85, 0.75, 0.90, 0.95),
    "shizutetsu-group.batch1": (0.90, 0.95, 0.90, 0.95),
    "ucc-coffee-professional.batch1": (0.85, 0.95, 0.90, 0.95),
}


def test_every_batch_has_floors() -> None:
    assert {p.stem for p in BATCHES} == set(FLOORS)


@pytest.mark.parametrize("path", BATCHES, ids=[p.stem for p in BATCHES])
def test_unseen_batch_levels(path: Path) -> None:
    policy = load_policy(UNSEEN / f"{path.name.split('.')[0]}.json")
    assert not any(p.phrases or p.hints or p.concepts for p in policy.passages), "text only"
    report = evaluate(path, PolicyMatcher(policy))
    text = format_report(report)
    ja, en, recall, oos = FLOORS[path.stem]
    assert report.in_scope["ja"].top1 >= ja, text
    assert report.in_scope["en"].top1 >= en, text
    assert report.in_scope["all"].recall_at_3 >= recall, text
    assert report.out_of_scope_declined >= oos, text
    assert report.suggestions is not None
    assert report.suggestions.main_suggested >= 0.95, text
    assert report.suggestions.any_right >= 0.95, text


@pytest.mark.parametrize("name", NAMES)
def test_passages_are_the_published_text(name: str) -> None:
    """Verbatim, except the colon that joins a table's two cells (said in `source.note`)."""
    source_text = (UNSEEN / f"{name}.source.txt").read_text(encoding="utf-8")
    raw = json.loads((UNSEEN / f"{name}.json").read_text(encoding="utf-8"))
    assert raw["source"]["url"] in source_text.splitlines()[0]
    table = "colon" in raw["source"].get("note", "")
    source = re.sub(r"\s+", "", source_text)
    for passage in load_policy(UNSEEN / f"{name}.json").passages:
        text = re.sub(r"\s+", "", passage.text)
        assert (text.replace(":", "", 1) if table else text) in source, passage.id
