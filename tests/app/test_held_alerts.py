"""Issue 10, cases 5-8: unusable channels, channel classification, deleted alerts and
escalation contacts who cannot be reached. Through the app's endpoint and the stand-in."""

from __future__ import annotations

import logging
from typing import Any

import aiohttp
import pytest

from bot.cases.followup_jobs import run_due_followups
from bot.cli.check import run_check, verify_start
from bot.demo.harness import STAFF, SUPERVISOR_IDS, SUPERVISORS, Harness, running_harness
from tests.app.faults import dm_texts, drain_for, outbox, thread_texts
from tests.app.helpers import alerts, click, reports, submit

SATO, ITO = SUPERVISOR_IDS  # SATO is the escalation contact (KASUHARA_ESCALATION_USERS)
CONTACT = "総務部 山本(内線1234)"


async def healthz(h: Harness) -> dict[str, Any]:
    async with (
        aiohttp.ClientSession() as http,
        http.get(h.url.replace("/slack/events", "/healthz")) as resp,
    ):
        assert resp.status == 200
        body: dict[str, Any] = await resp.json()
        return body


UNUSABLE = {
    "made_public": ({"is_private": False}, "公開チャンネルです"),
    "slack_connect": ({"is_ext_shared": True}, "外部と共有されています"),
    "bot_removed": ({"members": SUPERVISOR_IDS}, "見つかりません"),
    "pending_connect": ({"is_pending_ext_shared": True}, "招待が保留中です"),
    "archived": ({"is_archived": True}, "アーカイブされています"),
}


@pytest.mark.parametrize("name", list(UNUSABLE))
async def test_case5_6_unusable_channel_everyone_is_told(
    database_url: str, name: str, caplog: pytest.LogCaptureFixture
) -> None:
    change, words = UNUSABLE[name]
    async with running_harness(database_url, KASUHARA_DIRECT_CONTACT=CONTACT) as h:
        before = h.standin.state.channels[SUPERVISORS]
        h.standin.update_channel(SUPERVISORS, **change)
        with caplog.at_level(logging.ERROR):
            await submit(h, "SNSに晒すと脅された")
            await drain_for(h, 5)
        assert h.standin.messages(SUPERVISORS) == []
        [receipt] = dm_texts(h, STAFF[0])
        assert "まだ管理者に届いていません" in receipt and CONTACT in receipt
        assert "管理者に通知しました" not in receipt
        [report] = await reports(h)
        [notice] = dm_texts(h, SATO)
        assert report.case_number in notice and words in notice
        health = await healthz(h)
        assert health["status"] == "degraded"
        assert any(SUPERVISORS in r for r in health["reasons"])
        report_text, ok = await run_check(h.svc.settings)
        assert not ok and words in report_text and "送信が止まっています" in report_text
        assert "event=delivery_held" in caplog.text
        h.now.advance(minutes=61)  # the escalation is due: it must not point at the channel
        await run_due_followups(h.svc)
        await h.settle()
        assert f"<@{STAFF[0]}> さんに直接ご連絡ください" in dm_texts(h, SATO)[-1]
        # Fixed in Slack: posted at the next re-check, and those held back are told.
        h.standin.update_channel(SUPERVISORS, **{k: getattr(before, k) for k in change})
        await drain_for(h, 120, step=30)
        assert len(alerts(h)) == 1
        assert any("管理者に届きました" in t for t in dm_texts(h, STAFF[0]))
        assert any("投稿できました" in t for t in dm_texts(h, SATO))
        assert (await healthz(h))["status"] == "ok"


async def test_case5_channel_id_that_does_not_exist(database_url: str) -> None:
    async with running_harness(database_url, KASUHARA_SUPERVISOR_CHANNEL="CNOSUCH01") as h:
        assert not await verify_start(h.svc)
        await submit(h, "店内で怒鳴られた")
        [receipt] = dm_texts(h, STAFF[0])
        assert "まだ管理者に届いていません" in receipt
        assert any("CNOSUCH01" in r for r in (await healthz(h))["reasons"])


async def test_case6_grid_org_shared_private_channel_is_internal(database_url: str) -> None:
    async with running_harness(database_url) as h:
        h.standin.update_channel(SUPERVISORS, is_org_shared=True)
        assert await verify_start(h.svc)
        await submit(h, "同じ苦情の電話が毎日くる")
        assert len(alerts(h)) == 1
        assert "管理者に通知しました" in dm_texts(h, STAFF[0])[0]


async def test_case7_deleted_alert_is_posted_again_with_its_history(harness: Harness) -> None:
    await submit(harness, "土下座を強要された")
    [first] = alerts(harness)
    await click(harness, ITO, "case.take", first)
    harness.standin.set_delay("chat.update", 0.3)
    resp = await harness.driver.block_action(
        user_id=SATO,
        channel_id=SUPERVISORS,
        message_ts=first["ts"],
        action_id="case.escalate",
        value=first["blocks"][-1]["elements"][0]["value"],
    )
    assert resp.status == 200
    harness.standin.delete_message(SUPERVISORS, first["ts"])  # deleted just as SATO clicked
    harness.standin.set_delay("chat.update", 0)
    await drain_for(harness, 10)
    updates = harness.standin.calls_to("chat.update")
    assert [c.error for c in updates][-1] == "message_not_found"
    assert [c.error for c in updates].count("message_not_found") == 1  # never retried as is
    [second] = alerts(harness)
    assert second["ts"] != first["ts"] and "連携を開始しました" in str(second["blocks"])
    history = "\n".join(thread_texts(harness, second))
    assert "あらためて投稿しました" in history and "担当になりました" in history
    assert "連携を開始しました" in history
    assert any("あらためて投稿しました" in t for t in dm_texts(harness, SATO))
    [report] = await reports(harness)
    assert report.alert_ts == second["ts"]


async def test_case8_disabled_escalation_contact_is_named_and_bypassed(
    harness: Harness,
) -> None:
    harness.standin.update_user(SATO, deleted=True)
    assert not await verify_start(harness.svc)
    health = await healthz(harness)
    assert any("user_disabled" in r and SATO in r for r in health["reasons"])
    report_text, ok = await run_check(harness.svc.settings)
    assert not ok and "無効化されています" in report_text
    await submit(harness, "毎日電話で暴言")
    [alert] = alerts(harness)
    harness.now.advance(minutes=61)  # nobody acknowledged: the escalation falls due
    await run_due_followups(harness.svc)
    await harness.settle()
    thread = "\n".join(thread_texts(harness, alert))
    assert f"<@{SATO}> さんに DM を送れません" in thread and "確認されていません" in thread
    held = [r for r in await outbox(harness) if r.channel == SATO]
    assert held and all((r.last_error or "") == "hold:user_disabled" for r in held)
