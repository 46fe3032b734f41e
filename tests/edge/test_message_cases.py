"""Issue 11 cases 5–6: message events decided by what the message is."""

from __future__ import annotations

from bot.demo.harness import STAFF, SUPERVISOR_IDS, SUPERVISORS, Harness
from slack_standin import payloads
from tests.app.helpers import alerts, all_text, reports, submit

SATO, ITO = SUPERVISOR_IDS


async def _reply_then_check(h: Harness, description: str, **reply: object) -> str | None:
    await submit(h, description)
    alert = alerts(h)[-1]
    message = h.standin.post_user_message(
        SUPERVISORS, ITO, h.standin.typed("対応します"), thread_ts=alert["ts"], **reply
    )
    resp = await h.driver.deliver_message_event(message)
    assert resp.status == 200
    await h.settle()
    report = next(r for r in await reports(h) if r.alert_ts == alert["ts"])
    return report.acknowledged_by


async def test_case5_broadcast_reply_and_photo_reply_acknowledge(harness: Harness) -> None:
    assert await _reply_then_check(harness, "電話で脅された", broadcast=True) == ITO
    broadcast = harness.standin.messages(SUPERVISORS)[-1]
    assert broadcast["subtype"] == "thread_broadcast" and broadcast["root"]["ts"]
    assert await _reply_then_check(harness, "窓口で怒鳴られた", files=["現場.jpg"]) == ITO


async def test_case5_edits_deletions_and_bots_do_not_acknowledge(harness: Harness) -> None:
    await submit(harness, "何度も電話がくる")
    [alert] = alerts(harness)
    state = harness.standin.state
    reply = harness.standin.post_user_message(SUPERVISORS, SATO, "確認中", thread_ts=alert["ts"])
    edited = payloads.message_changed_event(state, SUPERVISORS, reply, "確認中です")
    deleted = payloads.message_deleted_event(state, SUPERVISORS, reply)
    other_app = harness.standin.post_app_message(SUPERVISORS, text="自動通知")
    other_app["thread_ts"] = alert["ts"]
    for event in (edited, deleted, payloads.message_event(state, SUPERVISORS, other_app)):
        assert (await harness.driver.event(event)).status == 200
    await harness.settle()
    [report] = await reports(harness)
    assert report.acknowledged_by is None


def _dm(h: Harness) -> str:
    return h.standin.state.open_conversation([STAFF[0]])[0].id


async def test_case6_dm_question_with_a_file_is_answered(harness: Harness) -> None:
    dm = _dm(harness)
    message = harness.standin.post_user_message(
        dm, STAFF[0], harness.standin.typed("SNSに名前をさらされた"), files=["スクショ.png"]
    )
    assert message["subtype"] == "file_share"
    await harness.driver.deliver_message_event(message)
    await harness.settle()
    [answer] = [m for m in harness.standin.messages(dm) if m.get("bot_id")]
    assert "⑪" in all_text(answer)


async def test_case6_question_in_a_dm_thread_is_answered_in_that_thread(harness: Harness) -> None:
    dm = _dm(harness)
    first = harness.standin.post_user_message(dm, STAFF[0], "相談があります")
    await harness.driver.deliver_message_event(first)
    await harness.settle()
    asked = harness.standin.post_user_message(
        dm, STAFF[0], harness.standin.typed("客に土下座しろって言われた"), thread_ts=first["ts"]
    )
    await harness.driver.deliver_message_event(asked)
    await harness.settle()
    in_thread = [m for m in harness.standin.replies(dm, first["ts"]) if m.get("bot_id")]
    assert len(in_thread) == 1 and "④" in all_text(in_thread[0])
    top_level = [m for m in harness.standin.messages(dm) if m.get("bot_id")]
    assert len(top_level) == 1  # only the answer to the first message
