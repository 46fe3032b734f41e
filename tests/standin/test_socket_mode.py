"""Socket Mode: apps.connections.open, hello, envelopes and acks, redelivery, disconnect."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackDriver, SlackStandin
from tests.standin.test_bolt_roundtrip import build_app

APP_TOKEN = "xapp-1-standin"


async def _wait_for(condition: Any, within: float = 5.0) -> None:
    for _ in range(int(within / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError("condition not met in time")


async def test_bolt_over_socket_mode(standin: SlackStandin) -> None:
    handler = AsyncSocketModeHandler(build_app(standin), APP_TOKEN)
    await handler.connect_async()
    try:
        await standin.socket_connected()
        driver = SlackDriver(standin, socket_mode=True)
        resp = await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
        assert resp.status == 200 and not resp.late
        (view,) = standin.open_views("U1")
        values = {"detail": {"text": {"type": "plain_text_input", "value": "怒"}}}
        resp = await driver.view_submission("U1", view["id"], values)
        assert resp.json == {"response_action": "errors", "errors": {"detail": "もう少し詳しく"}}

        await standin.socket_disconnect()  # refresh_requested: the client reconnects
        await _wait_for(lambda: standin.sockets.hellos == 2)
        values["detail"]["text"]["value"] = "長時間の暴言"
        await driver.view_submission("U1", view["id"], values)
        assert standin.messages("CSUP")[0]["blocks"][0]["text"]["text"] == "長時間の暴言"
        assert standin.sockets.sent[0]["type"] == "hello"
        assert any(m["type"] == "disconnect" for m in standin.sockets.sent)
    finally:
        await handler.close_async()


async def test_unacked_events_are_redelivered(standin: SlackStandin) -> None:
    web = AsyncWebClient(token=APP_TOKEN, base_url=standin.api_url)
    url = (await web.apps_connections_open(app_token=APP_TOKEN))["url"]
    assert url.startswith("ws://127.0.0.1:")
    seen: list[dict[str, Any]] = []

    async def app_side(ws: aiohttp.ClientWebSocketResponse) -> None:
        async for frame in ws:
            message = json.loads(frame.data)
            seen.append(message)
            if message.get("type") == "events_api" and message["retry_attempt"] >= 2:
                await ws.send_str(json.dumps({"envelope_id": message["envelope_id"]}))

    async with aiohttp.ClientSession() as session, session.ws_connect(url) as ws:
        task = asyncio.create_task(app_side(ws))
        await standin.socket_connected()
        driver = SlackDriver(standin, socket_mode=True, timeout=0.2)
        resp = await driver.event({"type": "app_mention", "channel": "CGEN", "user": "U1"})
        await ws.close()
        await task
    assert seen[0]["type"] == "hello"
    events = [m for m in seen if m.get("type") == "events_api"]
    assert [(m["retry_attempt"], m["retry_reason"]) for m in events] == [
        (0, ""),
        (1, "timeout"),
        (2, "timeout"),
    ]
    assert len({m["payload"]["event_id"] for m in events}) == 1
    assert resp.status == 200 and len(driver.late_acks) == 2


async def test_socket_url_is_single_use(standin: SlackStandin) -> None:
    web = AsyncWebClient(token=APP_TOKEN, base_url=standin.api_url)
    url = (await web.apps_connections_open(app_token=APP_TOKEN))["url"]
    async with aiohttp.ClientSession() as session:
        async with session.ws_connect(url) as ws:
            assert json.loads((await ws.receive()).data)["type"] == "hello"
        async with session.get(url.replace("ws://", "http://")) as again:
            assert again.status == 401
