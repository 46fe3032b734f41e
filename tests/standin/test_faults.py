"""fail_next, set_delay and chat.postMessage pacing."""

from __future__ import annotations

import time

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.http_retry.builtin_async_handlers import AsyncRateLimitErrorRetryHandler
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackStandin
from tests.standin.conftest import BOT_TOKEN, FakeClock


async def test_fail_next_500(client: AsyncWebClient, standin: SlackStandin) -> None:
    standin.fail_next("chat.postMessage", times=2)
    for _ in range(2):
        with pytest.raises(SlackApiError) as info:
            await client.chat_postMessage(channel="CSUP", text="x")
        assert info.value.response.status_code == 500
    assert (await client.chat_postMessage(channel="CSUP", text="x"))["ok"]
    assert [c.ok for c in standin.calls_to("chat.postMessage")] == [False, False, True]


async def test_fail_next_429_has_retry_after(client: AsyncWebClient, standin: SlackStandin) -> None:
    standin.fail_next("views.open", status=429, retry_after=7)
    with pytest.raises(SlackApiError) as info:
        await client.views_open(trigger_id="x", view={})
    resp = info.value.response
    assert resp.status_code == 429 and resp.headers["Retry-After"] == "7"
    assert resp.data == {"ok": False, "error": "ratelimited"}


async def test_fail_next_error_code(client: AsyncWebClient, standin: SlackStandin) -> None:
    standin.fail_next("chat.postMessage", error="not_in_channel")
    with pytest.raises(SlackApiError) as info:
        await client.chat_postMessage(channel="CSUP", text="x")
    assert info.value.response.status_code == 200
    assert info.value.response["error"] == "not_in_channel"


async def test_sdk_retry_handler_rides_out_429(standin: SlackStandin) -> None:
    client = AsyncWebClient(
        token=BOT_TOKEN,
        base_url=standin.api_url,
        retry_handlers=[AsyncRateLimitErrorRetryHandler(max_retry_count=1)],
    )
    standin.fail_next("chat.postMessage", status=429, retry_after=0)
    assert (await client.chat_postMessage(channel="CSUP", text="x"))["ok"]
    assert len(standin.calls_to("chat.postMessage")) == 2


async def test_set_delay(client: AsyncWebClient, standin: SlackStandin) -> None:
    standin.set_delay("users.info", 0.3)
    started = time.monotonic()
    await client.users_info(user="U1")
    assert time.monotonic() - started >= 0.3


async def test_pacing_bursts_then_429(
    client: AsyncWebClient, standin: SlackStandin, clock: FakeClock
) -> None:
    standin.pace_post_message = True
    for i in range(5):  # a short burst is fine
        await client.chat_postMessage(channel="CSUP", text=str(i))
    with pytest.raises(SlackApiError) as info:
        await client.chat_postMessage(channel="CSUP", text="too fast")
    assert info.value.response.status_code == 429
    assert int(info.value.response.headers["Retry-After"]) >= 1
    await client.chat_postMessage(channel="CGEN", text="other channels have their own pace")
    clock.advance(1.0)
    assert (await client.chat_postMessage(channel="CSUP", text="after a second"))["ok"]
    standin.pace_post_message = False
    for i in range(10):
        await client.chat_postMessage(channel="CSUP", text=f"unpaced {i}")


async def test_fail_after_the_work_is_done(client: AsyncWebClient, standin: SlackStandin) -> None:
    """A 5xx is no proof that nothing happened: the message is there, the answer lost."""
    standin.fail_next("chat.postMessage", status=503, after=True)
    with pytest.raises(SlackApiError) as info:
        await client.chat_postMessage(channel="CSUP", text="once")
    assert info.value.response.status_code == 503
    assert [m["text"] for m in standin.messages("CSUP")] == ["once"]


async def test_connection_reset_gives_no_answer(standin: SlackStandin) -> None:
    # slack_sdk's default client retries a dropped connection itself: none here, to see it.
    client = AsyncWebClient(token=BOT_TOKEN, base_url=standin.api_url, retry_handlers=[])
    standin.fail_next("chat.postMessage", reset=True, after=True)
    with pytest.raises(aiohttp.ClientError):
        await client.chat_postMessage(channel="CSUP", text="once")
    assert [m["text"] for m in standin.messages("CSUP")] == ["once"]
    assert [c.error for c in standin.calls_to("chat.postMessage")] == ["connection_reset"]
    standin.fail_next("chat.postMessage", reset=True)
    with pytest.raises(aiohttp.ClientError):
        await client.chat_postMessage(channel="CSUP", text="never")
    assert [m["text"] for m in standin.messages("CSUP")] == ["once"]
