"""The outbox: retries with backoff, exactly one alert, edits coalesced. Time is injected."""

from __future__ import annotations

from datetime import timedelta

from sqlmodel import select

from bot.delivery.slack_io import case_metadata
from bot.demo.harness import SUPERVISOR_IDS, SUPERVISORS, Harness
from storage import outbox as rows
from storage.models import OutboxMessage, OutboxStatus
from tests.app.helpers import alerts, click, reports, submit

SATO, ITO = SUPERVISOR_IDS


async def _drain_for(h: Harness, minutes: int) -> None:
    """Let injected time pass in steps, delivering what falls due."""
    for _ in range(minutes):
        h.now.advance(minutes=1)
        await h.svc.deliverer.drain()


async def test_three_failures_then_one_alert(harness: Harness) -> None:
    harness.standin.fail_next("chat.postMessage", times=6, status=500)
    await submit(harness, "窓口で机を叩かれた")
    assert alerts(harness) == []
    [report] = await reports(harness)
    assert report.alert_ts is None
    await _drain_for(harness, 10)
    assert len(alerts(harness)) == 1
    [report] = await reports(harness)
    assert report.alert_ts == alerts(harness)[0]["ts"]


async def test_rate_limit_is_honoured_then_sent(harness: Harness) -> None:
    harness.standin.fail_next("chat.postMessage", times=4, status=429, retry_after=0)
    await submit(harness, "電話で1時間怒鳴られた")
    await _drain_for(harness, 5)
    assert len(alerts(harness)) == 1


async def test_alert_that_reached_slack_unheard_is_not_posted_twice(harness: Harness) -> None:
    """A send that ended without an answer: the next try looks in the channel's history."""
    harness.standin.fail_next("chat.postMessage", times=20, status=500)
    await submit(harness, "居座られた")
    [report] = await reports(harness)
    assert report.id is not None
    # Slack did get the first post, but the answer was lost.
    harness.standin.faults.pending.clear()
    await harness.svc.gateway.client.chat_postMessage(
        channel=SUPERVISORS,
        text="(first try)",
        metadata=case_metadata(report.id, report.case_number, outbox_id=0),
    )
    await _drain_for(harness, 20)
    assert len(alerts(harness)) == 1
    [report] = await reports(harness)
    assert report.alert_ts == alerts(harness)[0]["ts"]


async def test_crashed_sender_lease_expires_and_row_is_sent_once(harness: Harness) -> None:
    await submit(harness, "体を触られた")
    [alert] = alerts(harness)
    # A worker claims the row of an edit and dies before finishing it.
    await click(harness, SATO, "case.ack", alert)
    async with harness.svc.sessions.begin() as s:
        pending = (
            await s.exec(select(OutboxMessage).where(OutboxMessage.status == OutboxStatus.SENT))
        ).all()
    assert pending
    async with harness.svc.sessions.begin() as s:
        await rows.enqueue(
            s,
            now=harness.now(),
            kind="alert_update",
            channel=SUPERVISORS,
            case_id=1,
            coalesce_key="alert:1",
        )
    async with harness.svc.sessions.begin() as s:
        claimed = await rows.claim_due(
            s, now=harness.now(), worker="dead-worker", limit=10, lease=timedelta(seconds=60)
        )
    assert len(claimed) == 1
    updates = len(harness.standin.calls_to("chat.update"))
    await harness.svc.deliverer.drain()
    assert len(harness.standin.calls_to("chat.update")) == updates  # still leased
    harness.now.advance(seconds=61)
    await harness.svc.deliverer.drain()
    assert len(harness.standin.calls_to("chat.update")) == updates + 1


async def test_burst_of_clicks_coalesces_into_few_edits(harness: Harness) -> None:
    await submit(harness, "SNSに晒すと脅された")
    [alert] = alerts(harness)
    harness.standin.set_delay("chat.update", 0.3)
    for action in ("case.ack", "case.take", "case.escalate"):
        await harness.driver.block_action(
            user_id=ITO, channel_id=SUPERVISORS, message_ts=alert["ts"], action_id=action, value="1"
        )
    await harness.settle()
    assert len(harness.standin.calls_to("chat.update")) <= 3
    [final] = alerts(harness)
    text = str(final["blocks"])
    assert "確認しました" in text and "担当しています" in text and "連携を開始" in text
