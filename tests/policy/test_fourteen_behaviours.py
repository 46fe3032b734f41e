"""A policy with a fourteenth behaviour: the modal offers it, the matcher suggests it, the alert
names it, and the digest and both CSVs count it (issue 14, item 6)."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.harness import HR, HR_IDS, Harness, running_harness
from bot.digest.figures import behaviour_labels
from bot.digest.format import compose, to_csv
from bot.digest.weekly import week_figures
from bot.digest.weeks import week_containing
from bot.policy.document import DEFAULT_POLICY_PATH
from tests.app.helpers import alerts, all_text, open_modal, reports, submit
from tests.digest.test_hr_words import _eventually

LABEL = "許可のない撮影・録音"


def fourteen_behaviour_policy(tmp_path: Path) -> Path:
    raw = json.loads(DEFAULT_POLICY_PATH.read_text(encoding="utf-8"))
    definitions = next(s for s in raw["sections"] if s["number"] == "2")
    definitions["passages"].append(
        {"id": "s2.14", "text": "⑭職員等の許可のない撮影・録音", "behaviour": 14, "label": LABEL}
    )
    path = tmp_path / "policy-14.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
async def h14(database_url: str, tmp_path: Path) -> AsyncIterator[Harness]:
    policy = fourteen_behaviour_policy(tmp_path)
    async with running_harness(database_url, KASUHARA_POLICY_PATH=str(policy)) as h:
        yield h


async def test_modal_offers_the_fourteenth(h14: Harness) -> None:
    view_id = await open_modal(h14)
    text = json.dumps(h14.standin.views[view_id], ensure_ascii=False)
    assert '"value": "14"' in text and LABEL in text


async def test_fourteenth_is_suggested_alerted_counted_and_exported(h14: Harness) -> None:
    await submit(h14, "窓口でお客さまにスマホで無断で撮影され、録音もされていた")
    await submit(h14, "撮影された件の続きです", behaviours=(14,))
    suggested, chosen = sorted(await reports(h14), key=lambda r: r.id)
    assert "14" in suggested.suggested_behaviours.split(",")
    assert chosen.behaviours == "14"
    assert all(LABEL in all_text(alert) for alert in alerts(h14)[-2:])

    figures = await week_figures(h14.svc, week_containing(h14.now(), h14.svc.clock.zone))
    assert len(figures.chosen) == len(figures.suggested) == 14
    assert figures.chosen[13] == 1 and figures.suggested[13] == 1
    digest = compose(figures, h14.svc.catalog, behaviour_labels(h14.svc.policy))
    assert sum(f"⑭ {LABEL}" in s or ("⑭" in s and LABEL in s) for s in digest.sections) == 2
    assert ("chosen_14", "1") in _metric_rows(to_csv(figures))

    resp = await h14.driver.slash_command(
        user_id=HR_IDS[0], command="/kasuhara", text="export", channel_id=HR
    )
    assert resp.status == 200
    [upload] = await _eventually(lambda: h14.standin.files)
    rows = list(csv.reader(io.StringIO(upload["bytes"].decode("utf-8-sig"))))
    assert sum("⑭" in cell for row in rows[1:] for cell in row) == 2


def _metric_rows(text: str) -> list[tuple[str, str]]:
    return [(row[0], row[1]) for row in csv.reader(io.StringIO(text))]
