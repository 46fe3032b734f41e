"""Follow-ups: durable rows, claimed once, quiet hours and business days. Time is injected."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from bot.cases.followup_jobs import run_due_followups
from bot.demo.harness import STAFF, SUPERVISOR_IDS, SUPERVISORS, Harness, running_harness
from tests.app.helpers import alerts, click, reports, submit

TOKYO = ZoneInfo("Asia/Tokyo")
SATO, ITO = SUPERVISOR_IDS


async def _tick(h: Harness, **delta: float) -> None:
    h.now.advance(**delta)
    await run_due_followups(h.svc)
    await h.settle()


def _dms(h: Harness, user: str) -> list[dict]:
    channel = h.standin.dm_channel(user)
    return h.standin.messages(channel) if channel else []


async def test_unacknowledged_alert_reminds_then_escalates(harness: Harness) -> None:
    await submit(harness, "窓口で大声で怒鳴られた")
    [alert] = alerts(harness)
    await _tick(harness, minutes=14)
    assert harness.standin.replies(SUPERVISORS, alert["ts"]) == []
    await _tick(harness, minutes=2)
    [reminder] = harness.standin.replies(SUPERVISORS, alert["ts"])
    assert "まだ確認されていません" in reminder["text"]
    await _tick(harness, minutes=45)
    assert any("確認されていません" in m["text"] for m in _dms(harness, SATO))


async def test_acknowledging_cancels_reminders(harness: Harness) -> None:
    await submit(harness, "電話で脅された", urgent=True)
    [alert] = alerts(harness)
    await click(harness, SATO, "case.ack", alert)
    await _tick(harness, minutes=90)
    texts = [r["text"] for r in harness.standin.replies(SUPERVISORS, alert["ts"])]
    assert not [t for t in texts if "まだ確認されていません" in t]
    assert not [m for m in _dms(harness, SATO) if "確認されていません" in m["text"]]


async def test_urgent_reminder_after_five_minutes(harness: Harness) -> None:
    await submit(harness, "今も居座っている", urgent=True)
    [alert] = alerts(harness)
    await _tick(harness, minutes=5, seconds=1)
    assert len(harness.standin.replies(SUPERVISORS, alert["ts"])) == 1


async def test_checkin_asks_and_help_reaches_owner(harness: Harness) -> None:
    await submit(harness, "SNSに名前を書かれた")
    [alert] = alerts(harness)
    await click(harness, ITO, "case.take", alert)
    await _tick(harness, days=1, hours=1)
    checkin = [m for m in _dms(harness, STAFF[0]) if "その後いかがですか" in m["text"]]
    assert len(checkin) == 1
    followup_id = checkin[0]["blocks"][-1]["elements"][1]["value"]
    channel = harness.standin.dm_channel(STAFF[0])
    await harness.driver.block_action(
        user_id=STAFF[0],
        channel_id=channel,
        message_ts=checkin[0]["ts"],
        action_id="checkin.help",
        value=followup_id,
    )
    await harness.settle()
    assert any("相談したい" in m["text"] for m in _dms(harness, ITO))


async def test_checkin_due_at_night_waits_for_morning(database_url: str) -> None:
    start = datetime(2026, 12, 2, 23, 0, tzinfo=TOKYO)  # a Wednesday, 23:00 in Tokyo
    async with running_harness(database_url, start=start) as h:
        await submit(h, "閉店後も帰ってくれなかった")
        await _tick(h, days=1)  # Thursday 23:00: due by the calendar, but quiet hours
        assert not [m for m in _dms(h, STAFF[0]) if "その後" in m["text"]]
        await _tick(h, hours=8, minutes=59)  # Friday 07:59
        assert not [m for m in _dms(h, STAFF[0]) if "その後" in m["text"]]
        await _tick(h, minutes=1)  # Friday 08:00
        assert len([m for m in _dms(h, STAFF[0]) if "その後" in m["text"]]) == 1


async def test_stale_case_reminder_skips_public_holiday(database_url: str) -> None:
    start = datetime(2027, 1, 8, 10, 0, tzinfo=TOKYO)  # Friday; Monday 11th is 成人の日
    async with running_harness(database_url, start=start) as h:
        await submit(h, "何度も同じ苦情の電話")
        [alert] = alerts(h)
        await click(h, ITO, "case.take", alert)

        def stale():
            return [
                r
                for r in h.standin.replies(SUPERVISORS, alert["ts"])  # noqa: E731
                if "対応中のまま" in r["text"]
            ]

        await _tick(h, days=5, hours=23)  # Thursday 14th, 09:00
        assert stale() == []
        await _tick(h, hours=1, minutes=1)  # Thursday 14th, 10:01
        assert len(stale()) == 1
        [report] = await reports(h)
        assert report.status == "in_progress"
