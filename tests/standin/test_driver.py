"""The driver's side of Slack: signing, encodings, ack deadline, event retries."""

from __future__ import annotations

import json
import time

import pytest
from aiohttp import web

from slack_standin import SlackDriver, SlackStandin
from tests.standin.conftest import Recorder


async def test_slash_command_is_signed_form(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    resp = await driver.slash_command(
        user_id="U1", command="/kasuhara", text="help", channel_id="CGEN"
    )
    assert resp.status == 200 and not resp.late
    assert rec.requests[0]["valid"]
    assert rec.requests[0]["headers"]["Content-Type"] == "application/x-www-form-urlencoded"
    form = rec.form()
    assert form["command"] == "/kasuhara" and form["text"] == "help"
    assert (form["team_id"], form["channel_name"], form["user_name"]) == (
        "T0KASU",
        "general",
        "tanaka",
    )
    assert form["response_url"].startswith("http://127.0.0.1:") and form["trigger_id"]


async def test_interactions_and_events_are_signed(
    recorder: tuple[Recorder, SlackDriver], standin: SlackStandin
) -> None:
    rec, driver = recorder
    await driver.global_shortcut("U1", "report_shortcut")
    payload = json.loads(rec.form()["payload"])
    assert payload["type"] == "shortcut" and payload["callback_id"] == "report_shortcut"
    message = standin.post_user_message("CGEN", "U1", "ひどい電話でした")
    await driver.deliver_message_event(message)
    envelope = json.loads(rec.requests[-1]["body"])
    assert rec.requests[-1]["headers"]["Content-Type"] == "application/json"
    assert envelope["type"] == "event_callback" and envelope["event_id"].startswith("Ev")
    event = envelope["event"]
    assert (event["type"], event["channel"], event["channel_type"]) == (
        "message",
        "CGEN",
        "channel",
    )
    assert event["text"] == "ひどい電話でした" and event["ts"] == message["ts"]
    assert all(r["valid"] for r in rec.requests)


async def test_stale_timestamp_is_rejected(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    driver.clock = lambda: time.time() - 600
    resp = await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    assert resp.status == 401 and not rec.requests[0]["valid"]


async def test_forged_and_malformed(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    resp = await driver.send_raw(b"command=/x", "application/x-www-form-urlencoded", "v0=forged")
    assert resp.status == 401
    resp = await driver.send_raw(b"{not json", "application/json")
    assert resp.status == 200 and rec.requests[-1]["valid"]  # signed, just malformed


async def test_event_retries_then_gives_up(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    rec.replies = [web.Response(status=500), web.Response(status=503), web.Response(text="")]
    resp = await driver.event(
        {"type": "app_mention", "channel": "CGEN", "user": "U1", "text": "hi"}
    )
    assert resp.status == 200
    headers = [r["headers"] for r in rec.requests]
    assert [h.get("X-Slack-Retry-Num") for h in headers] == [None, "1", "2"]
    assert headers[1]["X-Slack-Retry-Reason"] == "http_error"
    ids = {json.loads(r["body"])["event_id"] for r in rec.requests}
    assert len(ids) == 1  # a retry is the same event


async def test_event_no_retry(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    rec.replies = [web.Response(status=500, headers={"X-Slack-No-Retry": "1"})]
    await driver.event({"type": "app_mention", "channel": "CGEN", "user": "U1", "text": "x"})
    rec.replies = [web.Response(status=500)]
    await driver.event({"type": "app_mention", "channel": "CGEN", "user": "U1"}, no_retry=True)
    assert len(rec.requests) == 2
    resp = await driver.event({"type": "app_mention"}, retry_num=3, retry_reason="http_timeout")
    assert rec.requests[-1]["headers"]["X-Slack-Retry-Num"] == "3" and resp.status == 200


@pytest.mark.slow
async def test_late_ack_is_recorded(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    rec.delay = 3.2
    resp = await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    assert resp.late and resp.elapsed > 3.0
    assert driver.late_acks[0]["what"] == "/kasuhara"
    assert driver.problems and "after 3 s" in driver.problems[0]
