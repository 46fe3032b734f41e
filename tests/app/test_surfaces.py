"""Every place people reach the app: questions by command, DM and mention; shortcuts; retries;
a supervisor's reply in the alert thread; snoozing reminders."""

from __future__ import annotations

import asyncio

from bot.cases.followup_jobs import run_due_followups
from bot.demo.harness import PUBLIC, STAFF, SUPERVISOR_IDS, SUPERVISORS, Harness, listener_tasks
from slack_standin import payloads
from tests.app.faults import stalled
from tests.app.helpers import alerts, all_text, reports, submit

SATO, ITO = SUPERVISOR_IDS


async def test_question_by_command_quotes_the_policy_ephemerally(harness: Harness) -> None:
    resp = await harness.driver.slash_command(
        user_id=STAFF[0], command="/kasuhara", text="客に土下座しろって言われた", channel_id=PUBLIC
    )
    assert resp.json["response_type"] == "ephemeral"
    body = all_text(resp.json)
    assert "④土下座の要求" in body and "2. カスタマーハラスメントの定義" in body
    assert "/kasuhara" in body
    assert harness.standin.messages(PUBLIC) == []


async def test_out_of_scope_and_internal_questions_are_declined(harness: Harness) -> None:
    oos = await harness.driver.slash_command(
        user_id=STAFF[0], command="/kasuhara", text="VPNのパスワードを忘れました", channel_id=PUBLIC
    )
    assert "この方針には該当する記載がありません" in all_text(oos.json)
    assert "1. はじめに" in all_text(oos.json)
    internal = await harness.driver.slash_command(
        user_id=STAFF[0],
        command="/kasuhara",
        text="上司からパワハラを受けています",
        channel_id=PUBLIC,
    )
    assert "社内の相談窓口" in all_text(internal.json)


async def test_help_and_status_words(harness: Harness) -> None:
    help_resp = await harness.driver.slash_command(
        user_id=STAFF[0], command="/kasuhara", text="ヘルプ"
    )
    assert "使い方" in help_resp.json["text"]
    await submit(harness, "返金しろと1時間言われた")
    mine = await harness.driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="status")
    theirs = await harness.driver.slash_command(user_id=STAFF[1], command="/kasuhara", text="状況")
    [report] = await reports(harness)
    assert report.case_number in mine.json["text"]
    assert report.case_number not in theirs.json["text"]


async def test_dm_question_is_answered_in_the_dm(harness: Harness) -> None:
    dm = (
        harness.standin.dm_channel(STAFF[0])
        or harness.standin.state.open_conversation([STAFF[0]])[0].id
    )
    message = harness.standin.post_user_message(dm, STAFF[0], "SNSに名前をさらされた")
    await harness.driver.deliver_message_event(message)
    await harness.settle()
    [answer] = [m for m in harness.standin.messages(dm) if m.get("bot_id")]
    assert "⑪職員等の個人情報等のSNSやインターネット等への投稿、誹謗中傷" in all_text(answer)


async def test_mention_is_answered_in_the_thread(harness: Harness) -> None:
    message = harness.standin.post_user_message(
        PUBLIC, STAFF[1], "<@UBOT> 何回も同じことで電話してくる"
    )
    await harness.driver.deliver_app_mention(message)
    await harness.settle()
    [reply] = harness.standin.replies(PUBLIC, message["ts"])
    assert "⑤継続的な" in all_text(reply)


async def test_event_retries_are_processed_once(harness: Harness) -> None:
    dm = harness.standin.state.open_conversation([STAFF[0]])[0].id
    message = harness.standin.post_user_message(dm, STAFF[0], "土下座しろと言われた")
    state = harness.standin.state
    envelope = payloads.event_envelope(state, payloads.message_event(state, dm, message), "Ev01")
    first = await harness.driver.deliver("events_api", envelope)
    resent = await harness.driver.deliver("events_api", envelope, 1, "http_timeout")
    assert first.status == resent.status == 200
    await harness.settle()
    assert len([m for m in harness.standin.messages(dm) if m.get("bot_id")]) == 1


async def test_event_retry_while_the_database_stalls_is_answered_once(harness: Harness) -> None:
    """The delivery key cannot be recorded in time (the database is stalled): the question is
    answered anyway, and Slack's retry of it, reaching the same process, is not answered again."""
    dm = harness.standin.state.open_conversation([STAFF[0]])[0].id
    message = harness.standin.post_user_message(dm, STAFF[0], "土下座しろと言われた")
    state = harness.standin.state
    envelope = payloads.event_envelope(state, payloads.message_event(state, dm, message), "Ev02")
    async with stalled(harness.svc.settings.database_url, "processed_request"):
        first = await harness.driver.deliver("events_api", envelope)
        resent = await harness.driver.deliver("events_api", envelope, 1, "http_timeout")
        await asyncio.gather(*listener_tasks())
    assert first.status == resent.status == 200
    await harness.settle()
    assert len([m for m in harness.standin.messages(dm) if m.get("bot_id")]) == 1


async def test_global_and_message_shortcuts_open_the_modal(harness: Harness) -> None:
    await harness.driver.global_shortcut(STAFF[0], "report.shortcut")
    await harness.settle()
    assert [v for v in harness.standin.views.values() if v["callback_id"] == "report.submit"]
    typed = "お客さまからの暴言メール: <!channel>"  # typed literally: Slack escapes it
    source = harness.standin.post_user_message(PUBLIC, STAFF[0], harness.standin.typed(typed))
    await harness.driver.message_shortcut(STAFF[0], "report.message_shortcut", PUBLIC, source["ts"])
    await harness.settle()
    view = list(harness.standin.views.values())[-1]
    field = next(b for b in view["blocks"] if b.get("block_id") == "report.description")
    assert field["element"]["initial_value"] == "お客さまからの暴言メール: <!channel>"
    assert "permalink" in view["private_metadata"]


async def test_supervisor_reply_in_thread_acknowledges(harness: Harness) -> None:
    await submit(harness, "電話口で脅された")
    [alert] = alerts(harness)
    reply = harness.standin.post_user_message(
        SUPERVISORS, ITO, "今から折り返します", thread_ts=alert["ts"]
    )
    await harness.driver.deliver_message_event(reply)
    await harness.settle()
    [report] = await reports(harness)
    assert report.acknowledged_by == ITO


async def test_snooze_holds_reminders_for_a_day(harness: Harness) -> None:
    await submit(harness, "何度も電話がくる")
    [alert] = alerts(harness)
    await harness.driver.block_action(
        user_id=SATO,
        channel_id=SUPERVISORS,
        message_ts=alert["ts"],
        action_id="case.snooze",
        value="1",
    )
    await harness.settle()
    harness.now.advance(hours=2)
    await run_due_followups(harness.svc)
    await harness.settle()
    texts = [r["text"] for r in harness.standin.replies(SUPERVISORS, alert["ts"])]
    assert not [t for t in texts if "まだ確認されていません" in t]
    harness.now.advance(hours=23)
    await run_due_followups(harness.svc)
    await harness.settle()
    texts = [r["text"] for r in harness.standin.replies(SUPERVISORS, alert["ts"])]
    assert len([t for t in texts if "まだ確認されていません" in t]) == 1


async def test_home_tab_lists_only_my_reports_and_opens_the_modal(harness: Harness) -> None:
    await submit(harness, "窓口で長時間怒鳴られた", user=STAFF[0])
    await submit(harness, "電話で脅された", user=STAFF[1])
    [mine, theirs] = sorted(await reports(harness), key=lambda r: r.reporter_id)
    await harness.driver.app_home_opened(STAFF[0])
    await harness.settle()
    home = all_text(harness.standin.home_views[STAFF[0]])
    assert mine.case_number in home and theirs.case_number not in home
    before = set(harness.standin.views)
    home_id = harness.standin.home_views[STAFF[0]]["id"]
    await harness.driver.view_block_action(STAFF[0], home_id, "home.report", "open")
    await harness.settle()
    assert [v for v in harness.standin.views if v not in before]


async def test_slack_failing_the_first_authorization_is_said_plainly(harness: Harness) -> None:
    """Bolt asks auth.test on the first request; when Slack fails it the person is told in the
    app's words (not Bolt's "install this app"), and the next request, Slack back, works."""
    harness.standin.fail_next("auth.test", times=2, status=503)  # the call and its one retry
    command = {"user_id": STAFF[0], "command": "/kasuhara", "text": "help", "channel_id": PUBLIC}
    resp = await harness.driver.slash_command(**command)
    assert resp.status == 200 and resp.body == harness.svc.catalog.t("errors.slack_unreachable")
    resp = await harness.driver.slash_command(**command)
    assert resp.json["response_type"] == "ephemeral" and "/kasuhara" in all_text(resp.json)
