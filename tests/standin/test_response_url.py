"""response_url: 5 posts in 30 minutes; response_type, replace_original, delete_original."""

from __future__ import annotations

from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook.async_client import AsyncWebhookClient

from slack_standin import SlackStandin
from tests.standin.conftest import FakeClock


async def test_five_posts_then_used(standin: SlackStandin) -> None:
    hook = AsyncWebhookClient(standin.new_response_url("CGEN", "U1"))
    for i in range(5):
        assert (await hook.send(text=f"step {i}")).status_code == 200
    sixth = await hook.send(text="one too many")
    assert (sixth.status_code, sixth.body) == (404, '{"ok": false, "error": "used_url"}')
    assert [p["status"] for p in standin.response_url_posts] == [200] * 5 + [404]
    assert len(standin.ephemerals) == 5 and standin.ephemerals[0]["user"] == "U1"


async def test_expires_after_thirty_minutes(standin: SlackStandin, clock: FakeClock) -> None:
    hook = AsyncWebhookClient(standin.new_response_url("CGEN", "U1"))
    clock.advance(30 * 60 + 1)
    resp = await hook.send(text="late")
    assert resp.status_code == 404 and "expired_url" in resp.body


async def test_in_channel_replace_delete(client: AsyncWebClient, standin: SlackStandin) -> None:
    posted = await client.chat_postMessage(channel="CSUP", text="original")
    hook = AsyncWebhookClient(standin.new_response_url("CSUP", "USUP1", posted["ts"]))
    await hook.send(text="for everyone", response_type="in_channel")
    assert [m["text"] for m in standin.messages("CSUP")] == ["original", "for everyone"]
    await hook.send(text="replaced", replace_original=True)
    assert standin.messages("CSUP")[0]["text"] == "replaced"
    await hook.send_dict({"delete_original": True})
    assert [m["text"] for m in standin.messages("CSUP")] == ["for everyone"]
    bad = await hook.send(
        text="x", blocks=[{"type": "header", "text": {"type": "mrkdwn", "text": "h"}}]
    )
    assert bad.status_code == 400 and "invalid_blocks" in bad.body
