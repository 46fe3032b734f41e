"""A real Bolt AsyncApp over HTTP, driven end to end through the stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from typing import Any

import pytest
from slack_bolt.async_app import AsyncApp
from slack_sdk.web.async_client import AsyncWebClient

from bot.demo.harness import listener_tasks
from slack_standin import SlackDriver, SlackStandin
from tests.standin.conftest import BOT_TOKEN, modal, serve

SECRET = "bolt-secret"


def build_app(standin: SlackStandin) -> AsyncApp:
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.api_url)
    app = AsyncApp(signing_secret=SECRET, client=client)

    @app.command("/kasuhara")
    async def open_report(ack: Any, body: dict, client: AsyncWebClient) -> None:
        await ack()
        await client.views_open(trigger_id=body["trigger_id"], view=modal())

    @app.view("report")
    async def submit(ack: Any, view: dict, client: AsyncWebClient) -> None:
        text = view["state"]["values"]["detail"]["text"]["value"]
        if len(text) < 5:
            await ack(response_action="errors", errors={"detail": "もう少し詳しく"})
            return
        await ack()
        button = {"type": "button", "action_id": "take", "value": "case-1"}
        button["text"] = {"type": "plain_text", "text": "対応する"}
        blocks = [
            {"type": "section", "text": {"type": "mrkdwn", "text": text}},
            {"type": "actions", "block_id": "acts", "elements": [button]},
        ]
        await client.chat_postMessage(channel="CSUP", text="新しい報告", blocks=blocks)

    @app.action("take")
    async def take(ack: Any, respond: Any, body: dict) -> None:
        await ack()
        assert body["actions"][0]["value"] == "case-1"
        await respond(replace_original=True, text=f"<@{body['user']['id']}> が対応中")

    return app


@pytest.fixture
async def driver(standin: SlackStandin) -> AsyncIterator[SlackDriver]:
    async with serve(build_app(standin).web_app()) as url:
        yield SlackDriver(standin, app_url=f"{url}/slack/events", signing_secret=SECRET)


async def test_command_modal_submit_click(driver: SlackDriver, standin: SlackStandin) -> None:
    resp = await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    await asyncio.gather(*listener_tasks())  # views.open comes after the ack
    assert resp.status == 200
    (view,) = standin.open_views("U1")
    assert view["callback_id"] == "report"

    short = {"detail": {"text": {"type": "plain_text_input", "value": "怒"}}}
    resp = await driver.view_submission(user_id="U1", view_id=view["id"], values=short)
    assert resp.json == {"response_action": "errors", "errors": {"detail": "もう少し詳しく"}}
    assert standin.open_views("U1") == [view]  # errors keep the modal open

    values = {"detail": {"text": {"type": "plain_text_input", "value": "電話で怒鳴られた"}}}
    await driver.view_submission(user_id="U1", view_id=view["id"], values=values)
    await asyncio.gather(*listener_tasks())  # the post comes after the ack
    assert standin.open_views("U1") == [] and standin.views[view["id"]]["closed"]
    (posted,) = standin.messages("CSUP")
    assert posted["blocks"][0]["text"]["text"] == "電話で怒鳴られた"

    await driver.block_action(
        user_id="USUP1", channel_id="CSUP", message_ts=posted["ts"], action_id="take"
    )
    await asyncio.gather(*listener_tasks())  # respond() comes after the ack
    assert standin.messages("CSUP")[0]["text"] == "<@USUP1> が対応中"
    assert standin.response_url_posts[0]["status"] == 200
    assert driver.problems == [] and driver.late_acks == []
    methods = [c.method for c in standin.calls]
    assert methods == ["auth.test", "views.open", "chat.postMessage"]


async def test_client_refuses_empty_required_input(
    driver: SlackDriver, standin: SlackStandin
) -> None:
    await driver.slash_command(user_id="U1", command="/kasuhara", channel_id="CGEN")
    await asyncio.gather(*listener_tasks())  # views.open comes after the ack
    (view,) = standin.open_views("U1")
    with pytest.raises(ValueError, match="required"):
        await driver.view_submission(user_id="U1", view_id=view["id"], values={})
    with pytest.raises(ValueError, match="no element"):
        await driver.view_submission(
            user_id="U1", view_id=view["id"], values={"nope": {"x": {"type": "x"}}}
        )
