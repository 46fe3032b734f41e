"""Realistic request bodies (tests/edge/corpus/*.json, written for this project in the shapes
Slack documents: slack-specs/payloads and events) sent signed to the app, each through every
listener it could reach. None may answer 5xx or late; each must have its sensible effect."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import pytest

from bot.demo.harness import STAFF, Harness, running_harness
from tests.app.helpers import alerts, all_text, audit, reports, submit
from tests.edge.cases import connect_workspace, prefill

CORPUS = sorted((Path(__file__).parent / "corpus").glob("*.json"))


def _fill(value: Any, slots: dict[str, str]) -> Any:
    if isinstance(value, str):
        return slots.get(value, value)
    if isinstance(value, dict):
        return {k: _fill(v, slots) for k, v in value.items()}
    if isinstance(value, list):
        return [_fill(v, slots) for v in value]
    return value


async def _slots(h: Harness, case: dict[str, Any]) -> dict[str, str]:
    """Values only Slack (the stand-in) or an earlier step can give: triggers, response URLs,
    the DM channel, and an alert with its case when the body needs one."""
    text, body = json.dumps(case), case["body"]
    slots = {"$DM": h.standin.state.open_conversation([STAFF[0]])[0].id}
    if "$ALERT_TS" in text or "$CASE_" in text:
        await submit(h, "電話で脅された")
        [alert] = alerts(h)
        [report] = await reports(h)
        slots |= {"$ALERT_TS": alert["ts"], "$CASE_ID": str(report.id)}
        slots["$CASE_NUMBER"] = report.case_number
    user = body.get("user_id") or (body.get("user") or {}).get("id") or STAFF[0]
    slots["$TRIGGER"] = h.standin.new_trigger_id(user)
    slots["$RESPONSE_URL"] = h.standin.new_response_url(body.get("channel_id"), user)
    slots["$EVENT_ID"] = h.standin.state.new_id("Ev")
    slots["$TS"] = h.standin.state.new_ts()
    return slots


def _bot_posts(h: Harness) -> list[dict[str, Any]]:
    state = h.standin.state
    posts = [m for msgs in state.history.values() for m in msgs]
    posts += [m for msgs in state.threads.values() for m in msgs]
    return [m for m in posts if m.get("bot_id") == "BBOT"] + list(state.ephemerals)


@pytest.fixture
async def h(database_url: str) -> AsyncIterator[Harness]:
    async with running_harness(database_url, workspace=connect_workspace()) as harness:
        yield harness


@pytest.mark.parametrize("path", CORPUS, ids=[p.stem for p in CORPUS])
async def test_corpus_body(h: Harness, path: Path) -> None:
    case = json.loads(path.read_text(encoding="utf-8"))
    slots = await _slots(h, case)
    body, expect = _fill(case["body"], slots), _fill(case["expect"], slots)
    views, posts = set(h.standin.views), _bot_posts(h)
    resp = await h.driver.deliver(case["kind"], body)
    await h.settle()
    assert resp.status == 200 and not resp.late, (resp.status, resp.body)
    await _check(h, expect, resp, [h.standin.views[v] for v in h.standin.views if v not in views])
    if expect.get("silent"):
        new = [p for p in _bot_posts(h) if p not in posts]
        assert new == [] or all("他の組織" in p.get("text", "") for p in new)


async def _check(h: Harness, expect: dict[str, Any], resp: Any, opened: list[Any]) -> None:
    if "opens" in expect:
        [view] = opened
        assert view["callback_id"] == expect["opens"]
        assert expect.get("prefill", "") in prefill(view)
    if "ack_contains" in expect:
        assert expect["ack_contains"] in all_text(resp.json)
    if "response_action" in expect:
        assert resp.json["response_action"] == expect["response_action"]
    if "errors" in expect:
        assert list(resp.json["errors"]) == [expect["errors"]]
        assert await reports(h) == []
    if "refused" in expect:
        refused = [e for e in await audit(h) if e.action == "access.outside_organisation"]
        assert len(refused) == (1 if expect["refused"] else 0)
        assert await reports(h) == []
    if "acknowledged" in expect:
        [report] = await reports(h)
        assert report.acknowledged_by == expect["acknowledged"]
    if "stored_team" in expect:
        [report] = await reports(h)
        assert report.team_id == expect["stored_team"]
    if "answers_in" in expect:
        answers = [m for m in _bot_posts(h) if expect["answer_contains"] in all_text(m)]
        assert len(answers) == 1
    if "home_for" in expect:
        assert expect["home_for"] in h.standin.home_views
