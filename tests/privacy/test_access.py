"""Who sees what: every path to report content, tried as the wrong person."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import pytest

from bot.demo.harness import (
    HR,
    HR_IDS,
    OUTSIDER,
    STAFF,
    SUPERVISORS,
    Harness,
    demo_workspace,
    running_harness,
)
from bot.digest.weekly import send_digest
from bot.digest.weeks import week_containing
from slack_standin import payloads
from slack_standin.api_views import public_view
from tests.app.helpers import alerts, audit, click, reports, submit
from tests.privacy.story import SATO, closed_case, outbox_rows, outcome_values

SECRET_TEXT = "応接室で机を叩かれ、三十分大声で責められた"
SECRET_CUSTOMER = "高橋 一郎(顧客番号 778899)"
FORBIDDEN = "権限がありません"
WRONG_PEOPLE = (OUTSIDER, STAFF[0], HR_IDS[0])  # outsider, the reporter, HR: none supervise


def _refusals(events: list[Any]) -> list[tuple[str, str]]:
    return [
        (e.actor_id, json.loads(e.detail)["attempted"])
        for e in events
        if e.action == "action.refused"
    ]


async def test_staff_see_only_their_own_reports(harness: Harness) -> None:
    h = harness
    await submit(h, "一件目の報告")
    await submit(h, "二件目の報告")
    numbers = [r.case_number for r in await reports(h)]
    mine = await h.driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="status")
    theirs = await h.driver.slash_command(user_id=STAFF[1], command="/kasuhara", text="状況")
    assert all(n in mine.json["text"] for n in numbers)
    assert not any(n in theirs.json["text"] for n in numbers)
    assert theirs.json["text"] == h.svc.catalog.t("command.status_none")


@pytest.mark.parametrize("user", WRONG_PEOPLE)
async def test_non_members_cannot_use_any_alert_button(harness: Harness, user: str) -> None:
    h = harness
    await submit(h, SECRET_TEXT)
    [alert] = alerts(h)
    buttons = [
        e["action_id"] for b in alert["blocks"] if b["type"] == "actions" for e in b["elements"]
    ]
    views_before = dict(h.standin.views)
    for action_id in buttons:
        await click(h, user, action_id, alert)
    [report] = await reports(h)
    assert report.status == "new" and report.acknowledged_at is None
    assert report.owner_id is None and report.escalated_at is None
    assert report.snoozed_until is None
    assert h.standin.views.keys() == views_before.keys()  # no resolve modal opened
    notices = [e for e in h.standin.ephemerals if e["user"] == user]
    assert len(notices) == len(buttons) and all(FORBIDDEN in e["text"] for e in notices)
    assert _refusals(await audit(h)) == [(user, a.removeprefix("case.")) for a in buttons]
    assert [a["ts"] for a in alerts(h)] == [alert["ts"]]
    assert not h.standin.replies(SUPERVISORS, alert["ts"])


async def test_forged_resolve_submission_by_a_non_member(harness: Harness) -> None:
    """A resolve modal submitted by someone else (forged or replayed) is refused in the modal."""
    h = harness
    await submit(h, SECRET_TEXT)
    [alert] = alerts(h)
    await click(h, SATO, "case.resolve", alert)
    view_id = next(
        v for v, view in h.standin.views.items() if view["callback_id"] == "case.resolve.submit"
    )
    view = public_view(h.standin.state.views[view_id])
    view["state"] = {"values": outcome_values("勝手に完了")}
    payload = payloads.common(h.standin.state, "view_submission", OUTSIDER)
    payload |= {"trigger_id": h.standin.new_trigger_id(OUTSIDER, view_id), "view": view}
    resp = await h.driver.deliver("interactive", payload)
    await h.settle()
    assert resp.status == 200 and resp.json["response_action"] == "errors"
    assert FORBIDDEN in resp.json["errors"]["case.outcome"]
    [report] = await reports(h)
    assert report.status == "new" and report.outcome_enc is None
    assert (OUTSIDER, "resolve") in _refusals(await audit(h))


@pytest.mark.parametrize("word", ["export", "digest"])
@pytest.mark.parametrize("user", [STAFF[0], SATO, OUTSIDER])
async def test_hr_words_are_refused_to_non_hr(harness: Harness, word: str, user: str) -> None:
    h = harness
    await submit(h, SECRET_TEXT)
    resp = await h.driver.slash_command(user_id=user, command="/kasuhara", text=word)
    await h.settle()
    assert resp.status == 200
    notices = [e for e in h.standin.ephemerals if e["user"] == user]
    assert notices and all("人事チャンネルのメンバーだけ" in e["text"] for e in notices)
    assert h.standin.files == []
    assert not h.standin.calls_to("files.getUploadURLExternal")
    assert _refusals(await audit(h)) == [(user, f"hr.{word}")]
    assert not [e for e in await audit(h) if e.action.startswith("hr.")]


def _everything_but(h: Harness, allowed: set[str]) -> str:
    """All anyone could see anywhere but in the `allowed` conversations; the reporter's own
    modal, which holds what they typed, is theirs."""
    state = h.standin.state
    seen: list[Any] = [m for ch, ms in state.history.items() if ch not in allowed for m in ms]
    seen += [r for (ch, _), rs in state.threads.items() if ch not in allowed for r in rs]
    seen += [v for v in state.views.values() if v.get("user") != STAFF[0]]
    seen += [state.ephemerals, state.home_views, state.response_url_posts]
    # HR's CSV export is an allowed place; charts and any other upload are not.
    seen += [f["bytes"] for f in state.files if not f.get("filename", "").endswith(".csv")]
    return json.dumps(seen, ensure_ascii=False, default=_text)


def _text(value: object) -> str:
    return value.decode("utf-8", "replace") if isinstance(value, bytes) else str(value)


async def test_report_text_appears_only_with_supervisors_and_the_reporter(
    harness: Harness,
) -> None:
    h = harness
    await closed_case(h, SECRET_TEXT, customer=SECRET_CUSTOMER)
    await h.driver.slash_command(user_id=HR_IDS[0], command="/kasuhara", text="digest")
    await h.driver.slash_command(user_id=HR_IDS[0], command="/kasuhara", text="export")
    await send_digest(h.svc, week_containing(h.now(), h.svc.clock.zone))
    await h.settle()
    assert h.standin.messages(HR), "the digest went to HR"
    reporter_dm = h.standin.dm_channel(STAFF[0])
    elsewhere = _everything_but(h, {SUPERVISORS, reporter_dm})
    for text in (SECRET_TEXT, SECRET_CUSTOMER, "高橋"):
        assert text not in elsewhere
    assert any(
        SECRET_TEXT in json.dumps(m, ensure_ascii=False) for m in h.standin.messages(SUPERVISORS)
    )


@pytest.mark.parametrize(
    ("change", "reason"),
    [({"is_private": False}, "not_private"), ({"is_ext_shared": True}, "ext_shared")],
)
async def test_unsafe_supervisors_channel_gets_no_report_content(
    database_url: str, change: dict[str, bool], reason: str
) -> None:
    workspace = demo_workspace()
    channels = dict(workspace.channels)
    channels[SUPERVISORS] = dataclasses.replace(channels[SUPERVISORS], **change)
    async with running_harness(database_url, workspace=demo_workspace(channels=channels)) as h:
        await submit(h, SECRET_TEXT, customer=SECRET_CUSTOMER)
        [report] = await reports(h)
        assert report.description_enc is not None  # saved; only the posting is held back
        assert h.standin.messages(SUPERVISORS) == []
        assert not [
            c
            for c in h.standin.calls_to("chat.postMessage")
            if c.args.get("channel") == SUPERVISORS
        ]
        held = [r for r in await outbox_rows(h) if r.channel == SUPERVISORS]
        assert held and {(r.status, r.last_error) for r in held} == {("pending", f"hold:{reason}")}
        assert SECRET_TEXT not in _everything_but(h, set())
