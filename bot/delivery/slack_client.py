"""The Web API client the app sends with: pooled (bot/delivery/slack_http.py), riding out
short rate limits, and repeating on its own only the calls that are safe to repeat."""

from __future__ import annotations

import asyncio

from slack_sdk.http_retry.async_handler import AsyncRetryHandler
from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.http_retry.request import HttpRequest
from slack_sdk.http_retry.response import HttpResponse
from slack_sdk.http_retry.state import RetryState

from bot.delivery.errors import classify_response
from bot.delivery.slack_http import PooledWebClient

# Retry-After up to this many seconds is waited out inside the call; anything longer is
# handed back, so the outbox releases the row with a not-before time instead of sleeping on
# a claimed row (a 40 s sleep outlived the 60 s lease and doubled alerts: issue 10, case 1).
SHORT_RETRY_AFTER = 2.0


class ShortRateLimitRetryHandler(AsyncRetryHandler):
    """Retries a 429 once only when Slack asks for a short wait (Retry-After <= 2 s)."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        if response is None or response.status_code != 429:
            return False
        wait = classify_response(response).retry_after
        return wait is not None and wait <= SHORT_RETRY_AFTER

    async def prepare_for_next_attempt_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> None:
        wait = classify_response(response).retry_after if response is not None else None
        state.next_attempt_requested = True
        await asyncio.sleep(wait or 1.0)
        state.increment_current_attempt()


# Calls whose repetition makes a second message or file. A 5xx or a dropped connection does
# not say they failed: Slack may have posted and lost only the answer. They are not repeated
# blindly here; the outbox retries them after looking for what arrived (Sender._post_once),
# and the case record looks for its file (SlackGateway.upload).
NOT_REPEATABLE = frozenset(
    {
        "chat.postMessage",
        "chat.postEphemeral",
        "chat.scheduleMessage",
        "files.completeUploadExternal",
    }
)


def _repeatable(request: HttpRequest) -> bool:
    return request.url.rstrip("/").rsplit("/", 1)[-1] not in NOT_REPEATABLE


class _OnlyRepeatable(AsyncRetryHandler):
    """Put before one of slack_sdk's retry handlers: its retry, for calls safe to repeat."""

    async def _can_retry_async(
        self,
        *,
        state: RetryState,
        request: HttpRequest,
        response: HttpResponse | None = None,
        error: Exception | None = None,
    ) -> bool:
        return _repeatable(request) and await super()._can_retry_async(
            state=state, request=request, response=response, error=error
        )


class RepeatableConnectionErrorRetryHandler(_OnlyRepeatable, AsyncConnectionErrorRetryHandler):
    """slack_sdk's retry of a dropped connection, for calls that are safe to repeat."""


class RepeatableServerErrorRetryHandler(_OnlyRepeatable, AsyncServerErrorRetryHandler):
    """slack_sdk's retry of a 5xx, for calls that are safe to repeat."""


def make_client(token: str, base_url: str) -> PooledWebClient:
    """A pooled client (bot/delivery/slack_http.py) that rides out short 429s, and for calls
    safe to repeat a dropped connection and one 5xx, before we see them; long waits and
    posts whose answer was lost are the outbox's to handle (bot/delivery/errors.py)."""
    client = PooledWebClient(token=token, base_url=base_url, timeout=10, retry_handlers=[])
    client.retry_handlers.extend(
        [
            RepeatableConnectionErrorRetryHandler(max_retry_count=1),
            ShortRateLimitRetryHandler(max_retry_count=1),
            RepeatableServerErrorRetryHandler(max_retry_count=1),
        ]
    )
    return client
