"""What the driver puts in interaction payloads and what Slack does with the acks."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

import aiohttp
import pytest
from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackDriver, SlackStandin
from tests.standin.conftest import Recorder, modal, section

Pair = tuple[Recorder, SlackDriver]


def payload(rec: Recorder, i: int = -1) -> dict[str, Any]:
    return json.loads(dict(urllib.parse.parse_qsl(rec.requests[i]["body"].decode()))["payload"])


def select_modal() -> dict[str, Any]:
    options = [
        {"text": {"type": "plain_text", "text": label}, "value": value}
        for label, value in (("電話", "phone"), ("窓口", "counter"))
    ]
    view = modal()
    view["blocks"].append(
        {
            "type": "input",
            "block_id": "channel",
            "label": {"type": "plain_text", "text": "経路"},
            "element": {"type": "static_select", "action_id": "pick", "options": options},
        }
    )
    return view


async def _open(client: AsyncWebClient, standin: SlackStandin, view: dict[str, Any]) -> str:
    resp = await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=view)
    return resp["view"]["id"]


async def test_selection_in_modal_then_submit(
    recorder: Pair, client: AsyncWebClient, standin: SlackStandin
) -> None:
    rec, driver = recorder
    view_id = await _open(client, standin, select_modal())
    await driver.view_block_action("U1", view_id, "pick", "phone")
    sent = payload(rec)
    assert sent["container"] == {"type": "view", "view_id": view_id}
    assert sent["actions"][0]["selected_option"]["value"] == "phone"
    assert sent["view"]["state"]["values"]["channel"]["pick"]["selected_option"]["value"] == "phone"
    # views.push with that trigger lands on this modal's stack
    await client.views_push(trigger_id=sent["trigger_id"], view=modal("Step 2"))
    assert [v["id"] for v in standin.open_views("U1")][0] == view_id
    with pytest.raises(ValueError, match="no option"):
        await driver.view_block_action("U1", view_id, "pick", "email")


async def test_response_actions(
    recorder: Pair, client: AsyncWebClient, standin: SlackStandin
) -> None:
    rec, driver = recorder
    view_id = await _open(client, standin, modal())
    text = {"detail": {"text": {"type": "plain_text_input", "value": "x"}}}
    update = {"response_action": "update", "view": modal("Thanks")}
    rec.replies = [web.json_response(update)]
    await driver.view_submission("U1", view_id, text)
    assert standin.views[view_id]["title"]["text"] == "Thanks"
    for _ in range(2):
        rec.replies = [web.json_response({"response_action": "push", "view": modal("More")})]
        await driver.view_submission("U1", standin.open_views("U1")[-1]["id"], text)
    assert len(standin.open_views("U1")) == 3
    rec.replies = [web.json_response({"response_action": "push", "view": modal("Too deep")})]
    await driver.view_submission("U1", standin.open_views("U1")[-1]["id"], text)
    assert "push_limit_reached" in driver.problems[-1]
    rec.replies = [web.json_response({"response_action": "update", "view": modal("x" * 30)})]
    await driver.view_submission("U1", view_id, text)
    assert "invalid_arguments" in driver.problems[-1]
    rec.replies = [web.json_response({"response_action": "errors", "errors": {"nope": "bad"}})]
    await driver.view_submission("U1", view_id, text)
    assert "'nope' is not an input block" in driver.problems[-1]
    rec.replies = [web.json_response({"response_action": "clear"})]
    await driver.view_submission("U1", view_id, text)
    assert standin.open_views("U1") == []


async def test_view_closed_only_when_asked(
    recorder: Pair, client: AsyncWebClient, standin: SlackStandin
) -> None:
    rec, driver = recorder
    quiet = await _open(client, standin, modal())
    assert await driver.view_closed("U1", quiet) is None and rec.requests == []
    loud = await _open(client, standin, modal(notify_on_close=True))
    resp = await driver.view_closed("U1", loud)
    assert resp is not None and payload(rec)["type"] == "view_closed"
    assert standin.views[loud]["closed"]
    with pytest.raises(ValueError, match="not open"):
        await driver.view_submission("U1", loud, {})


async def test_block_action_payload(
    recorder: Pair, client: AsyncWebClient, standin: SlackStandin
) -> None:
    rec, driver = recorder
    button = {"type": "button", "action_id": "take", "value": "c1"}
    button["text"] = {"type": "plain_text", "text": "Take"}
    blocks = [section("case"), {"type": "actions", "block_id": "a", "elements": [button]}]
    msg = await client.chat_postMessage(channel="CSUP", text="case", blocks=blocks)
    await client.chat_update(channel="CSUP", ts=msg["ts"], text="case (edited)", blocks=blocks)
    await driver.block_action("USUP1", "CSUP", msg["ts"], "take")
    sent = payload(rec)
    assert sent["message"]["text"] == "case (edited)"  # the message as currently stored
    assert sent["actions"][0] | {"action_ts": None} == {
        "type": "button",
        "action_id": "take",
        "block_id": "a",
        "value": "c1",
        "text": {"type": "plain_text", "text": "Take"},
        "action_ts": None,
    }
    assert sent["container"]["channel_id"] == "CSUP" and not sent["container"]["is_ephemeral"]
    assert sent["channel"] == {"id": "CSUP", "name": "privategroup"}
    with pytest.raises(ValueError, match="carries value"):
        await driver.block_action("USUP1", "CSUP", msg["ts"], "take", value="other")
    with pytest.raises(ValueError, match="no element"):
        await driver.block_action("USUP1", "CSUP", msg["ts"], "missing")


async def test_ephemeral_block_action(
    recorder: Pair, client: AsyncWebClient, standin: SlackStandin
) -> None:
    rec, driver = recorder
    button = {"type": "button", "action_id": "ok", "text": {"type": "plain_text", "text": "OK"}}
    resp = await client.chat_postEphemeral(
        channel="CGEN",
        user="U1",
        text="confirm?",
        blocks=[{"type": "actions", "elements": [button]}],
    )
    await driver.block_action("U1", "CGEN", resp["message_ts"], "ok")
    sent = payload(rec)
    assert sent["container"]["is_ephemeral"] and "message" not in sent
    hook_url = sent["response_url"]
    async with aiohttp.ClientSession() as session:
        await session.post(hook_url, json={"delete_original": True})
    assert standin.ephemerals == []


async def test_slash_ack_bodies_are_shown(recorder: Pair, standin: SlackStandin) -> None:
    rec, driver = recorder
    rec.replies = [web.json_response({"text": "受け付けました"})]
    await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    assert standin.ephemerals[-1]["text"] == "受け付けました"
    rec.replies = [web.json_response({"response_type": "in_channel", "text": "全員へ"})]
    await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    assert standin.messages("CGEN")[-1]["text"] == "全員へ"
    await driver.slash_command(user_id="U1", command="/kasuhara")  # from the DM
    assert (
        json.loads(json.dumps(dict(urllib.parse.parse_qsl(rec.requests[-1]["body"].decode()))))[
            "channel_name"
        ]
        == "directmessage"
    )


async def test_app_home_opened(recorder: Pair, client: AsyncWebClient) -> None:
    rec, driver = recorder
    await client.views_publish(user_id="U1", view={"type": "home", "blocks": [section("hi")]})
    await driver.app_home_opened("U1")
    event = json.loads(rec.requests[-1]["body"])["event"]
    assert event["type"] == "app_home_opened" and event["view"]["type"] == "home"
    assert event["channel"].startswith("D")
