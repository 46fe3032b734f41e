"""Answers and payloads use only fields real ones have (../shared/slack-specs shapes)."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from aiohttp import web
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackDriver, SlackStandin
from slack_standin.spec_data import METHODS
from tests.shared import SHARED, requires_shared
from tests.standin.conftest import modal, section, serve

SPECS = SHARED / "slack-specs"
pytestmark = requires_shared
SKIP = {"blocks", "state", "event_payload", "metadata", "actions", "shares"}
# Fields real payloads carry that these sample-derived shapes happen to lack (Slack's docs list
# them: view_submission has response_urls and view.blocks, view_closed has view.blocks).
KNOWN_GAPS = {".response_urls", ".view.blocks"}


def shape(kind: str, name: str) -> dict[str, Any]:
    return json.loads((SPECS / kind / f"{name}.json").read_text())


def extra_keys(ours: Any, real: Any, path: str = "") -> list[str]:
    """Keys in `ours` that the real shape never shows (recursing into objects and lists)."""
    if isinstance(ours, list) and isinstance(real, list) and real:
        return [k for item in ours for k in extra_keys(item, real[0], f"{path}[]")]
    if not isinstance(ours, dict) or not isinstance(real, dict):
        return []
    out = [f"{path}.{k}" for k in ours if k not in real and f"{path}.{k}" not in KNOWN_GAPS]
    for key, value in ours.items():
        if key in real and key not in SKIP:
            out += extra_keys(value, real[key], f"{path}.{key}")
    return out


def test_embedded_method_facts_match_specs() -> None:
    files = sorted(p.stem for p in (SPECS / "methods").glob("*.json"))
    assert sorted(METHODS) == files
    for name, spec in METHODS.items():
        raw = json.loads((SPECS / "methods" / f"{name}.json").read_text())
        assert spec.bot_scopes == tuple(raw.get("scope", {}).get("bot", []))
        assert spec.required == tuple(a for a in raw["args"]["required"] if a != "token")
        assert spec.errors == tuple(raw.get("errors", {}))


async def test_api_answers_match_shapes(client: AsyncWebClient, standin: SlackStandin) -> None:
    step = await client.files_getUploadURLExternal(filename="a.txt", length=1)
    await client.files_upload_v2(channel="CSUP", content=b"x", filename="a.txt")
    posted = await client.chat_postMessage(channel="CSUP", text="x")
    opened = await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=modal())
    answers = {
        "auth.test": await client.auth_test(),
        "conversations.info": await client.conversations_info(channel="CEXT"),
        "conversations.members": await client.conversations_members(channel="CSUP"),
        "users.info": await client.users_info(user="U1"),
        "usergroups.users.list": await client.usergroups_users_list(usergroup="S0SUP"),
        "chat.postEphemeral": await client.chat_postEphemeral(
            channel="CSUP", user="USUP1", text="x"
        ),
        "chat.getPermalink": await client.chat_getPermalink(
            channel="CSUP", message_ts=posted["ts"]
        ),
        "files.getUploadURLExternal": step,
        "files.completeUploadExternal": (
            await client.files_upload_v2(channel="CSUP", content=b"y", filename="b.txt")
        ),
        "views.open": opened,
        "views.publish": await client.views_publish(
            user_id="U1", view={"type": "home", "blocks": [section("hi")]}
        ),
        "chat.delete": await client.chat_delete(channel="CSUP", ts=posted["ts"]),
    }
    for method, resp in answers.items():
        data = {k: v for k, v in resp.data.items() if k != "file"}  # "file" is slack_sdk's alias
        assert extra_keys(data, shape("responses", method)) == [], method


async def test_payloads_match_shapes(standin: SlackStandin) -> None:
    bodies: list[bytes] = []

    async def capture(request: web.Request) -> web.Response:
        bodies.append(await request.read())
        return web.Response(text="")

    app = web.Application()
    app.router.add_post("/slack/events", capture)
    async with serve(app) as url:
        driver = SlackDriver(standin, app_url=f"{url}/slack/events")
        await _drive_everything(driver, standin)
    forms = [dict(urllib.parse.parse_qsl(b.decode())) for b in bodies[:-1]]
    slash, action, submission, closed, shortcut = forms
    assert extra_keys(slash, shape("payloads", "SlashCommandPayload")) == []
    for form, name in [
        (action, "BlockActionPayload"),
        (submission, "ViewSubmissionPayload"),
        (closed, "ViewClosedPayload"),
        (shortcut, "MessageShortcutPayload"),
    ]:
        assert extra_keys(json.loads(form["payload"]), shape("payloads", name)) == [], name
    assert extra_keys(json.loads(bodies[-1]), shape("events", "MessagePayload")) == []


async def _drive_everything(driver: SlackDriver, standin: SlackStandin) -> None:
    await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    client = AsyncWebClient(token="xoxb-standin", base_url=standin.api_url)
    button = {"type": "button", "action_id": "go", "text": {"type": "plain_text", "text": "Go"}}
    msg = await client.chat_postMessage(
        channel="CGEN", text="x", blocks=[{"type": "actions", "elements": [button]}]
    )
    await driver.block_action(user_id="U1", channel_id="CGEN", message_ts=msg["ts"], action_id="go")
    view = await client.views_open(
        trigger_id=standin.new_trigger_id("U1"), view=modal(notify_on_close=True)
    )
    values = {"detail": {"text": {"type": "plain_text_input", "value": "abc"}}}
    await driver.view_submission("U1", view["view"]["id"], values)  # closes it (empty ack)
    second = await client.views_open(
        trigger_id=standin.new_trigger_id("U1"), view=modal(notify_on_close=True)
    )
    await driver.view_closed("U1", second["view"]["id"])
    await driver.message_shortcut("U1", "report_message", "CGEN", msg["ts"])
    human = standin.post_user_message("CGEN", "U1", "hello", thread_ts=msg["ts"])
    await driver.deliver_message_event(human)
