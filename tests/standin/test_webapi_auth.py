"""Auth, scopes, required arguments and argument encodings of the Web API."""

from __future__ import annotations

import json

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackStandin
from tests.standin.conftest import BOT_TOKEN, make_workspace


async def _error(call) -> dict:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value.response.data


async def test_auth_test_answers_like_slack(client: AsyncWebClient) -> None:
    resp = await client.auth_test()
    assert resp["url"] == "https://kasuhara-demo.slack.com/"
    assert (resp["team"], resp["team_id"]) == ("kasuhara-demo", "T0KASU")
    assert (resp["user_id"], resp["bot_id"]) == ("UBOT", "BBOT")
    assert resp["user"]


async def test_missing_and_wrong_tokens(standin: SlackStandin) -> None:
    no_token = AsyncWebClient(base_url=standin.api_url)
    assert (await _error(no_token.auth_test()))["error"] == "not_authed"
    wrong = AsyncWebClient(token="xoxb-nope", base_url=standin.api_url)
    assert (await _error(wrong.chat_postMessage(channel="CSUP", text="x")))["error"] == (
        "invalid_auth"
    )
    assert standin.calls[-1].error == "invalid_auth"


async def test_app_token_only_opens_connections(standin: SlackStandin) -> None:
    app = AsyncWebClient(token="xapp-1-standin", base_url=standin.api_url)
    assert (await _error(app.auth_test()))["error"] == "not_allowed_token_type"
    bot = AsyncWebClient(token=BOT_TOKEN, base_url=standin.api_url)
    data = await _error(bot.apps_connections_open(app_token=BOT_TOKEN))
    assert data["error"] == "not_allowed_token_type"


async def test_missing_scope_reports_needed_and_provided() -> None:
    ws = make_workspace(scopes=frozenset({"users:read", "channels:read"}))
    async with SlackStandin(ws) as standin:
        client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.api_url)
        data = await _error(client.chat_postMessage(channel="CSUP", text="x"))
        assert data["error"] == "missing_scope"
        assert data["needed"] == "chat:write"
        assert data["provided"] == "channels:read,users:read"
        # conversations.* need only the scope of the conversation's type
        assert (await client.conversations_info(channel="CGEN"))["ok"]
        data = await _error(client.conversations_info(channel="CSUP"))
        assert (data["error"], data["needed"]) == ("missing_scope", "groups:read")


async def test_required_arguments(client: AsyncWebClient) -> None:
    data = await _error(client.api_call("chat.postMessage", json={"text": "x"}))
    assert data["error"] == "channel_not_found"
    data = await _error(client.api_call("users.info", params={}))
    assert data["error"] == "user_not_found"
    data = await _error(client.api_call("views.publish", json={"view": {"type": "home"}}))
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == ["[ERROR] missing required field: user_id"]
    data = await _error(client.api_call("chat.update", json={"channel": "CSUP"}))
    assert data["response_metadata"]["messages"] == ["[ERROR] missing required field: ts"]


async def test_unknown_method(client: AsyncWebClient) -> None:
    assert (await _error(client.api_call("chat.scheduleMessage")))["error"] == "unknown_method"


async def test_form_query_and_json_bodies(standin: SlackStandin) -> None:
    blocks = json.dumps([{"type": "section", "text": {"type": "plain_text", "text": "hi"}}])
    async with aiohttp.ClientSession() as session:
        form = {"token": BOT_TOKEN, "channel": "CSUP", "text": "form", "blocks": blocks}
        async with session.post(f"{standin.api_url}chat.postMessage", data=form) as resp:
            assert (await resp.json())["ok"]
        query = {"channel": "CSUP", "limit": "1"}
        headers = {"Authorization": f"Bearer {BOT_TOKEN}"}
        url = f"{standin.api_url}conversations.history"
        async with session.get(url, params=query, headers=headers) as resp:
            body = await resp.json()
        async with session.post(
            f"{standin.api_url}chat.postMessage",
            json={"channel": "CSUP", "blocks": "not json"},
            headers=headers,
        ) as resp:
            bad = await resp.json()
    assert body["messages"][0]["blocks"][0]["text"]["text"] == "hi"
    assert bad == {"ok": False, "error": "invalid_blocks_format"}
    assert standin.calls_to("chat.postMessage")[0].args["text"] == "form"
    assert "token" not in standin.calls_to("chat.postMessage")[0].args


async def test_json_bodies_take_tokens_from_the_header_only(standin: SlackStandin) -> None:
    url = f"{standin.api_url}auth.test"
    async with aiohttp.ClientSession() as session:
        async with session.post(url, json={"token": BOT_TOKEN}) as resp:
            assert (await resp.json())["error"] == "not_authed"
        headers = {"Authorization": f"Bearer {BOT_TOKEN}", "Content-Type": "application/json"}
        async with session.post(url, data=b"{oops", headers=headers) as resp:
            assert (await resp.json())["error"] == "invalid_json"
