"""Slack's documented refusals, as Slack gives them (the same refusal every time the same
thing is sent), through the app's endpoint and the stand-in: nothing is lost to an error the
app does not know, and a refusal that needs a person in Slack is named, not retried silently."""

from __future__ import annotations

import pytest

from bot.delivery.holds import health
from bot.demo.harness import STAFF, Harness
from tests.app.faults import alert_count, dm_texts, drain_for
from tests.app.helpers import alerts, click, submit
from tests.privacy.story import SATO


@pytest.mark.parametrize("error", ["invalid_blocks", "msg_blocks_too_long", "msg_too_long"])
async def test_blocks_slack_keeps_refusing_still_bring_the_alert(
    harness: Harness, error: str
) -> None:
    harness.standin.state.refuse_blocks = error
    await submit(harness, "窓口で大声を出され、帰ってくれなかった")
    await drain_for(harness, 10)
    assert alert_count(harness) == 1
    [alert] = alerts(harness)
    assert "KH-2026-0001" in alert["text"]
    assert [t for t in dm_texts(harness, STAFF[0]) if "報告を受け付けました" in t]
    assert await health(harness.svc.sessions) == []


async def test_refused_blocks_on_an_update_still_show_the_new_state(harness: Harness) -> None:
    await submit(harness, "電話で怒鳴られた")
    [alert] = alerts(harness)
    harness.standin.state.refuse_blocks = "msg_blocks_too_long"
    await click(harness, SATO, "case.ack", alert)
    await drain_for(harness, 10)
    [alert] = alerts(harness)
    assert "確認" in alert["text"] and not alert.get("blocks")


async def test_messages_tab_off_holds_the_receipt_and_says_why(harness: Harness) -> None:
    """The app's Messages tab switched off: no DM can go. The alert still reaches the
    supervisors; the receipt waits, and /healthz names it instead of retrying unseen."""
    harness.standin.state.messages_tab_disabled = True
    await submit(harness, "電話で怒鳴られた")
    await drain_for(harness, 40)
    assert alert_count(harness) == 1
    reasons = await health(harness.svc.sessions)
    assert any("receipt" in r and "messages_tab_disabled" in r for r in reasons), reasons
    harness.standin.state.messages_tab_disabled = False
    await drain_for(harness, 70)
    assert [t for t in dm_texts(harness, STAFF[0]) if "報告を受け付けました" in t]
    assert await health(harness.svc.sessions) == []


async def test_messages_tab_off_sends_the_escalation_to_the_thread(harness: Harness) -> None:
    """With DMs refused, an unacknowledged alert's escalation still reaches somebody: it
    goes to the alert's thread, naming the cause in words an admin can act on."""
    from bot.cases.followup_jobs import run_due_followups
    from tests.app.faults import thread_texts

    harness.standin.state.messages_tab_disabled = True
    await submit(harness, "毎日電話で暴言")
    [alert] = alerts(harness)
    harness.now.advance(minutes=61)
    await run_due_followups(harness.svc)
    await harness.settle()
    thread = "\n".join(thread_texts(harness, alert))
    assert f"<@{SATO}> さんに DM を送れません" in thread
    assert "メッセージタブが無効" in thread


async def test_a_long_report_in_plain_text_reaches_supervisors_whole(harness: Harness) -> None:
    """Blocks refused every time, a description at the modal's limit: the plain-text forms of
    the alert and of its thread parts together still carry every character, and no mention
    or link in the report's text becomes live in plain text."""
    from html import unescape

    from bot.demo.harness import SUPERVISORS

    text = ("顧客から<!channel>と&叫ばれた。" * 200)[:3000]
    harness.standin.state.refuse_blocks = "invalid_blocks"
    await submit(harness, text)
    await drain_for(harness, 10)
    [alert] = alerts(harness)
    thread = harness.standin.replies(SUPERVISORS, alert["ts"])
    body = unescape(alert["text"]).split("*内容*", 1)[1].split("…(続きはスレッドに投稿します)")[0]
    rest = [unescape(m["text"]).split("\n", 1)[1] for m in thread if "内容の続き" in m["text"]]
    assert "".join((body + "".join(rest)).split()) == "".join(text.split())
    assert "<!channel>" not in alert["text"] + "".join(m["text"] for m in thread)
