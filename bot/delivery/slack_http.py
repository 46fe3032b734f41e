"""The HTTP side of calling Slack: one pooled keep-alive aiohttp session per process.

slack_sdk opens a new aiohttp session, so a new TCP (and over the internet TLS) connection,
for every Web API call made without one, and Bolt's respond() does the same for every
response_url post. Here both share one session; bot/delivery/slack_io.py builds the client.
"""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
from slack_bolt.context.respond.async_respond import AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient
from slack_sdk.webhook import WebhookResponse
from slack_sdk.webhook.async_client import AsyncWebhookClient

# Connections kept open between calls. An alert, its update and the DMs around it come
# seconds apart; a connection idle longer than this is closed by us before a load balancer
# silently drops it (a reuse that finds it dropped is retried by the connection handler).
KEEPALIVE_S = 30.0
POOL_LIMIT = 32  # concurrent calls at most; more wait for a free connection


class PooledWebClient(AsyncWebClient):
    """An AsyncWebClient whose calls share one aiohttp session (keep-alive, pooled).

    Without a session slack_sdk opens a new one, so a new TCP (and TLS) connection, for every
    call. The session is made on first use inside the running event loop, so the client can
    be built anywhere; Bolt's per-request clients copy `session` from the app's client and so
    share it too. After `close()` calls fall back to a session of their own.
    """

    def __init__(self, **kwargs: Any) -> None:
        self._pooled: aiohttp.ClientSession | None = None
        self._loop: asyncio.AbstractEventLoop | None = None
        self._closed = False
        super().__init__(**kwargs)

    @property
    def session(self) -> aiohttp.ClientSession | None:
        if self._closed:
            return None
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            return None  # not in a loop: nothing can be sent from here anyway
        if self._pooled is None or self._pooled.closed or self._loop is not loop:
            # A session belongs to the loop it was made in (a CLI may run several in turn).
            connector = aiohttp.TCPConnector(limit=POOL_LIMIT, keepalive_timeout=KEEPALIVE_S)
            self._pooled, self._loop = aiohttp.ClientSession(connector=connector), loop
        return self._pooled

    @session.setter
    def session(self, value: aiohttp.ClientSession | None) -> None:
        self._pooled = value

    async def close(self) -> None:
        """Close the shared session (on shutdown); idempotent."""
        self._closed = True
        if self._pooled is not None and not self._pooled.closed:
            await self._pooled.close()
        self._pooled = None


class PooledRespond(AsyncRespond):
    """Bolt's `respond()` sent through the client's shared session: Bolt's own opens a new
    session, so a new connection, for each post to a response_url. Same arguments as Bolt's
    (text or a whole message dict, then message fields; None fields are left out).
    https://api.slack.com/interactivity/handling#message_responses"""

    def __init__(self, response_url: str, client: PooledWebClient) -> None:
        super().__init__(response_url=response_url)
        self._client = client

    async def __call__(  # type: ignore[override]
        self, text: str | dict[str, Any] = "", **fields: Any
    ) -> WebhookResponse:
        message = dict(text) if isinstance(text, dict) else {"text": text}
        message.update({k: v for k, v in fields.items() if v is not None})
        hook = AsyncWebhookClient(url=str(self.response_url), session=self._client.session)
        return await hook.send_dict(message)
