"""Issue 10, case 11: the database stalls or is gone while a report is submitted. The modal
gets the app's own words inside Slack's 3 s, and the same view submitted again (its ack lost,
or 送信 pressed twice) is the same case."""

from __future__ import annotations

import socket

from bot.demo.harness import STAFF, Harness, report_state
from storage.db import make_engine, make_sessions
from tests.app.faults import dm_texts, stalled
from tests.app.helpers import alerts, open_modal, reports, tampered_submission

SLACK_ACK_LIMIT = 3.0


def _errors(body: object) -> dict[str, str]:
    assert isinstance(body, dict) and body.get("response_action") == "errors", body
    errors: dict[str, str] = body["errors"]
    return errors


async def test_case11_stalled_database_answers_in_time_and_files_once(harness: Harness) -> None:
    values = report_state("レジで30分怒鳴られた")
    view_id = await open_modal(harness)
    async with stalled(harness.svc.settings.database_url):
        resp = await harness.driver.view_submission(
            user_id=STAFF[0], view_id=view_id, values=values
        )
    assert resp.status == 200 and resp.elapsed < SLACK_ACK_LIMIT
    assert "もう一度「送信する」を押してください" in _errors(resp.json)["report.description"]
    await harness.settle()
    # The reporter presses 送信 again: saved now (or found, had the first made it after all).
    resp = await harness.driver.view_submission(user_id=STAFF[0], view_id=view_id, values=values)
    assert resp.status == 200 and not resp.body
    await harness.settle()
    assert len(await reports(harness)) == 1 and len(alerts(harness)) == 1


async def test_case11_lost_ack_resubmission_is_the_same_case(harness: Harness) -> None:
    values = report_state("何度も同じ電話")
    view_id = await open_modal(harness)
    for _ in range(3):  # Slack never heard our ack, and the same view arrives again
        resp = await tampered_submission(harness, STAFF[0], view_id, values)
        assert resp.status == 200 and not resp.body
    await harness.settle()
    assert len(await reports(harness)) == 1 and len(alerts(harness)) == 1
    assert len([t for t in dm_texts(harness, STAFF[0]) if "報告を受け付けました" in t]) == 1


async def test_case11_database_gone_gives_the_apps_own_message(harness: Harness) -> None:
    view_id = await open_modal(harness)
    working = harness.svc.sessions
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        dead = s.getsockname()[1]
    gone = make_engine(f"postgresql+asyncpg://postgres@127.0.0.1:{dead}/kasuhara")
    harness.svc.sessions = make_sessions(gone)  # every connection refused or reset
    values = report_state("脅された")
    try:
        resp = await harness.driver.view_submission(
            user_id=STAFF[0], view_id=view_id, values=values
        )
    finally:
        harness.svc.sessions = working
        await gone.dispose()
    assert resp.status == 200 and resp.elapsed < SLACK_ACK_LIMIT
    assert "保存できませんでした" in _errors(resp.json)["report.description"]
    resp = await harness.driver.view_submission(user_id=STAFF[0], view_id=view_id, values=values)
    assert resp.status == 200 and not resp.body
    await harness.settle()
    assert len(await reports(harness)) == 1


async def test_case11_edited_resubmission_after_unconfirmed_is_what_supervisors_read(
    harness: Harness,
) -> None:
    """ "Could not confirm" leaves the modal open, so the reporter may change it before
    pressing 送信 again. The first save had in fact gone through: the case is the same one,
    but what supervisors read is what the reporter sent last, and they are told it changed."""
    from tests.app.faults import drain_for, full_description, thread_texts

    first, edited = "レジで30分怒鳴られた", "レジで30分怒鳴られた。帰り際に物を投げられた。"
    view_id = await open_modal(harness)
    async with stalled(harness.svc.settings.database_url):
        resp = await harness.driver.view_submission(
            user_id=STAFF[0], view_id=view_id, values=report_state(first)
        )
    assert "もう一度「送信する」を押してください" in _errors(resp.json)["report.description"]
    await harness.settle()  # the first save finishes late, and its alert goes out
    await drain_for(harness, 2)
    values = report_state(edited, customer_key="090-1234-5678", behaviours=(3, 4))
    resp = await harness.driver.view_submission(user_id=STAFF[0], view_id=view_id, values=values)
    assert resp.status == 200 and not resp.body
    await harness.settle()
    await drain_for(harness, 3)
    assert len(await reports(harness)) == 1
    [alert] = alerts(harness)
    assert full_description(harness, alert) == edited
    assert "090-1234-5678" in str(alert["blocks"])
    assert any("送信し直し" in t for t in thread_texts(harness, alert))
    # The same edited version arriving again (Slack never heard the ack) changes nothing.
    await tampered_submission(harness, STAFF[0], view_id, values)
    await harness.settle()
    await drain_for(harness, 3)
    assert len([t for t in thread_texts(harness, alert) if "送信し直し" in t]) == 1
    assert len(alerts(harness)) == 1
