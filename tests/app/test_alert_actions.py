"""Supervisors act on the alert with buttons; only channel members may."""

from __future__ import annotations

import asyncio
import json

import pytest

from bot.cases import actions
from bot.cases.lifecycle import perform
from bot.demo.harness import OUTSIDER, SUPERVISOR_IDS, SUPERVISORS, Harness
from bot.messages import Catalog
from handlers.alert_actions import ALERT_BUTTONS
from tests.app.helpers import alerts, all_text, audit, click, reports, submit

SATO, ITO = SUPERVISOR_IDS


async def _alert(h: Harness) -> dict:
    await submit(h, "訪問先で2時間帰してもらえませんでした")
    [alert] = alerts(h)
    return alert


async def test_outsider_click_changes_nothing_and_is_audited(harness: Harness) -> None:
    alert = await _alert(harness)
    updates = len(harness.standin.calls_to("chat.update"))
    await click(harness, OUTSIDER, "case.ack", alert)
    [eph] = harness.standin.ephemerals
    assert eph["user"] == OUTSIDER and "権限がありません" in eph["text"]
    [report] = await reports(harness)
    assert report.status == "new" and report.acknowledged_by is None
    assert len(harness.standin.calls_to("chat.update")) == updates
    refused = [a for a in await audit(harness) if a.action == "action.refused"]
    assert refused and refused[0].actor_id == OUTSIDER


async def test_acknowledge_updates_in_place_and_threads_once(harness: Harness) -> None:
    alert = await _alert(harness)
    await click(harness, SATO, "case.ack", alert)
    await click(harness, SATO, "case.ack", alert)
    [updated] = alerts(harness)
    assert updated["ts"] == alert["ts"]
    assert "確認済み" in all_text(updated)
    replies = harness.standin.replies(SUPERVISORS, alert["ts"])
    assert len(replies) == 1 and "確認しました" in replies[0]["text"]
    [report] = await reports(harness)
    assert report.acknowledged_by == SATO


async def test_two_supervisors_take_at_once_one_wins(harness: Harness) -> None:
    alert = await _alert(harness)
    await asyncio.gather(
        click(harness, SATO, "case.take", alert), click(harness, ITO, "case.take", alert)
    )
    await harness.settle()
    [report] = await reports(harness)
    assert report.owner_id in (SATO, ITO)
    loser = ITO if report.owner_id == SATO else SATO
    [updated] = alerts(harness)
    assert f"<@{report.owner_id}> さんが担当" in all_text(updated)
    assert f"<@{loser}> さんが担当" not in all_text(updated)
    assert any(e["user"] == loser and "すでに" in e["text"] for e in harness.standin.ephemerals)


async def test_resolve_through_outcome_modal(harness: Harness) -> None:
    alert = await _alert(harness)
    await click(harness, ITO, "case.resolve", alert)
    view_id, view = list(harness.standin.views.items())[-1]
    assert view["callback_id"] == "case.resolve.submit"
    outcome = {"case.outcome": {"outcome": {"type": "plain_text_input", "value": "出入り禁止"}}}
    resp = await harness.driver.view_submission(user_id=ITO, view_id=view_id, values=outcome)
    assert resp.status == 200
    await harness.settle()
    [report] = await reports(harness)
    assert report.status == "resolved" and report.resolved_by == ITO
    assert "出入り禁止" not in (report.outcome_enc or "")
    [updated] = alerts(harness)
    # Only the case record stays on a resolved alert: the case needs no more clicks.
    buttons = [
        e["action_id"] for b in updated["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    assert buttons == ["case.record"]
    actions = [a.action for a in await audit(harness)]
    assert "case.viewed" in actions and "case.resolve" in actions


async def test_escalate_records_and_acknowledges(harness: Harness) -> None:
    alert = await _alert(harness)
    await click(harness, SATO, "case.escalate", alert)
    [report] = await reports(harness)
    assert report.escalated_by == SATO and report.acknowledged_by == SATO
    assert "警察・弁護士" in all_text(alerts(harness)[0])


async def test_an_undeclared_action_is_refused_until_declared(
    harness: Harness, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A new button must not fall through to another action's transition (it once resolved
    the case): undeclared, it changes nothing and is audited; declared, it does what it says."""
    await _alert(harness)
    [before] = await reports(harness)
    assert before.id is not None
    refused = await perform(harness.svc, case_id=before.id, actor=SATO, action="noted")
    assert not refused.changed and refused.notice_key == "actions.unknown"
    [after] = await reports(harness)
    assert (after.status, after.resolved_at, after.acknowledged_at) == ("new", None, None)
    [event] = [a for a in await audit(harness) if a.action == "action.refused"]
    assert json.loads(event.detail) == {"attempted": "noted", "reason": "unknown"}

    monkeypatch.setattr(actions, "ACTIONS", dict(actions.ACTIONS))
    actions.declare(actions.CaseAction("noted", lambda c: actions.Change({}, {})))
    lines = Catalog({"thread": {"noted": "<@{user}> noted"}}, fallback=harness.svc.catalog)
    monkeypatch.setattr(harness.svc, "catalog", lines)
    done = await perform(harness.svc, case_id=before.id, actor=SATO, action="noted")
    await harness.settle()
    assert done.changed
    [after] = await reports(harness)
    assert (after.status, after.resolved_at) == ("new", None)
    assert "case.noted" in [a.action for a in await audit(harness)]
    alert = alerts(harness)[0]
    assert any(
        r["text"] == f"<@{SATO}> noted" for r in harness.standin.replies(SUPERVISORS, alert["ts"])
    )


def test_every_alert_button_names_a_declared_action() -> None:
    assert {b.action.name for b in ALERT_BUTTONS} <= actions.ACTIONS.keys()
    assert len({b.action_id for b in ALERT_BUTTONS}) == len(ALERT_BUTTONS)
