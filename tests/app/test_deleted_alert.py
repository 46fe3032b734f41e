"""Someone deletes the supervisors' alert in Slack. Slack sends `message_deleted` (the app
subscribes to message.groups): the alert is posted again at once, with its history, not only
when somebody next clicks; a retried delivery of that event posts it once."""

from __future__ import annotations

import asyncio

from bot.demo.harness import SUPERVISORS, Harness
from slack_standin import payloads
from tests.app.faults import drain_for, thread_texts
from tests.app.helpers import alerts, click, submit
from tests.privacy.story import SATO


async def test_a_deleted_alert_is_posted_again_without_waiting_for_a_click(
    harness: Harness,
) -> None:
    h = harness
    await submit(h, "電話で1時間怒鳴られた")
    [alert] = alerts(h)
    await click(h, SATO, "case.ack", alert)
    [alert] = alerts(h)
    event = payloads.message_deleted_event(h.standin.state, SUPERVISORS, alert)
    envelope = payloads.event_envelope(h.standin.state, event, "Ev0DELETED1")
    assert (await h.driver.deliver("events_api", envelope)).status == 200
    await h.settle()
    await drain_for(h, 5)
    [again] = alerts(h)
    assert again["ts"] != alert["ts"]
    assert "KH-2026-0001" in again["text"]
    history = "\n".join(thread_texts(h, again))
    assert "確認しました" in history  # the acknowledgement carried over
    # Slack retries the same event (its ack was slow): nothing is posted a second time.
    assert (await h.driver.deliver("events_api", envelope, 1, "http_timeout")).status == 200
    await h.settle()
    await drain_for(h, 5)
    assert [a["ts"] for a in alerts(h)] == [again["ts"]]
    # Buttons on the new alert act on the case as before.
    await click(h, SATO, "case.take", again)
    await drain_for(h, 3)
    assert "担当" in alerts(h)[0]["text"] or "担当" in str(alerts(h)[0]["blocks"])


async def test_a_deleted_thread_reply_or_other_message_changes_nothing(harness: Harness) -> None:
    h = harness
    await submit(h, "窓口で大声")
    [alert] = alerts(h)
    note = h.standin.post_user_message(SUPERVISORS, SATO, "確認中です", thread_ts=alert["ts"])
    await h.driver.deliver_message_event(note)
    await h.settle()
    other = h.standin.post_user_message(SUPERVISORS, SATO, "別の話題")
    for message in (note, other):
        event = payloads.message_deleted_event(h.standin.state, SUPERVISORS, message)
        await h.driver.event(event)
        await h.settle()
    await drain_for(h, 5)
    assert [a["ts"] for a in alerts(h) if a.get("bot_id")] == [alert["ts"]]


async def test_an_edit_finding_the_old_alert_gone_after_its_repost_posts_no_third(
    harness: Harness,
) -> None:
    """The deletion event reposts the alert while an edit of the old one is on its way; the
    edit's message_not_found then concerns a message already replaced: no second repost."""
    from bot.demo.harness import listener_tasks

    h = harness
    await submit(h, "土下座を強要された")
    [first] = alerts(h)
    h.standin.set_delay("chat.update", 1.0)
    await h.driver.block_action(
        user_id=SATO,
        channel_id=SUPERVISORS,
        message_ts=first["ts"],
        action_id="case.ack",
        value=first["blocks"][-1]["elements"][0]["value"],
    )
    await asyncio.gather(*listener_tasks())
    for _ in range(100):  # the edit is claimed and on its way to Slack (a few loop turns)
        if h.svc.deliverer.sender.edited:
            break
        await asyncio.sleep(0.01)
    assert h.svc.deliverer.sender.edited, "the edit never started"
    await h.driver.event(payloads.message_deleted_event(h.standin.state, SUPERVISORS, first))
    await asyncio.gather(*listener_tasks())
    await h.svc.deliverer.drain()  # a second sender posts the new alert meanwhile
    h.standin.set_delay("chat.update", 0)
    await h.settle()
    await drain_for(h, 5)
    assert [c.error for c in h.standin.calls_to("chat.update")][0] == "message_not_found"
    assert len([a for a in alerts(h) if a.get("bot_id")]) == 1


async def test_a_deleted_alert_with_a_thread_leaves_a_tombstone_and_is_posted_again(
    harness: Harness,
) -> None:
    """Slack keeps a deleted parent that has replies as a tombstone ("This message was
    deleted.") and says so with message_changed, not message_deleted: still posted again."""
    h = harness
    await submit(h, "電話で1時間怒鳴られた")
    [alert] = alerts(h)
    await click(h, SATO, "case.ack", alert)  # a line in its thread
    event = payloads.message_deleted_event(h.standin.state, SUPERVISORS, alert)
    assert event["subtype"] == "message_changed"
    assert event["message"]["subtype"] == "tombstone"
    await h.driver.event(event)
    await h.settle()
    await drain_for(h, 5)
    posted = [a for a in alerts(h) if a.get("bot_id")]
    assert len(posted) == 1 and posted[0]["ts"] != alert["ts"]
    assert "確認しました" in "\n".join(thread_texts(h, posted[0]))
