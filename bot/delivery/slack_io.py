"""The one place that calls Slack's Web API for the app's own messages."""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from slack_sdk.http_retry.builtin_async_handlers import (
    AsyncConnectionErrorRetryHandler,
    AsyncRateLimitErrorRetryHandler,
    AsyncServerErrorRetryHandler,
)
from slack_sdk.web.async_client import AsyncWebClient

CASE_EVENT_TYPE = "kasuhara_case"
MESSAGE_EVENT_TYPE = "kasuhara_message"


def make_client(token: str, base_url: str) -> AsyncWebClient:
    """A client that rides out brief 429s, 5xx and dropped connections before we see them."""
    client = AsyncWebClient(token=token, base_url=base_url, timeout=10)
    client.retry_handlers.extend(
        [
            AsyncConnectionErrorRetryHandler(max_retry_count=1),
            AsyncRateLimitErrorRetryHandler(max_retry_count=2),
            AsyncServerErrorRetryHandler(max_retry_count=1),
        ]
    )
    return client


@dataclass(frozen=True)
class ChannelVerdict:
    channel: str
    safe: bool
    reason: str | None  # catalogue key under "check." when not safe
    name: str = ""


class SlackGateway:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client

    async def post(
        self,
        channel: str,
        message: dict[str, Any],
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        resp = await self.client.chat_postMessage(
            channel=channel,
            text=message.get("text", ""),
            blocks=message.get("blocks"),
            thread_ts=thread_ts,
            metadata=metadata,
            unfurl_links=False,
            unfurl_media=False,
        )
        return str(resp["ts"])

    async def update(self, channel: str, ts: str, message: dict[str, Any]) -> None:
        await self.client.chat_update(
            channel=channel, ts=ts, text=message.get("text", ""), blocks=message.get("blocks")
        )

    async def ephemeral(self, channel: str, user: str, message: dict[str, Any]) -> None:
        await self.client.chat_postEphemeral(
            channel=channel, user=user, text=message.get("text", ""), blocks=message.get("blocks")
        )

    async def open_dm(self, user: str) -> str:
        resp = await self.client.conversations_open(users=user)
        return str(resp["channel"]["id"])

    async def members(self, channel: str) -> set[str]:
        found: set[str] = set()
        cursor: str | None = None
        while True:
            resp = await self.client.conversations_members(
                channel=channel, cursor=cursor, limit=200
            )
            found.update(resp.get("members", []))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return found

    async def verdict(self, channel: str) -> ChannelVerdict:
        """Report content may only go to a private channel kept inside the organisation."""
        if not channel:
            return ChannelVerdict(channel, False, "not_set")
        info = (await self.client.conversations_info(channel=channel))["channel"]
        name = str(info.get("name", ""))
        if not info.get("is_private"):
            return ChannelVerdict(channel, False, "not_private", name)
        if info.get("is_ext_shared") or info.get("is_shared"):
            return ChannelVerdict(channel, False, "ext_shared", name)
        if info.get("is_member") is False:
            return ChannelVerdict(channel, False, "not_member", name)
        return ChannelVerdict(channel, True, None, name)

    async def find_sent(
        self,
        channel: str,
        outbox_id: int,
        *,
        thread_ts: str | None = None,
        case_id: int | None = None,
        pages: int = 5,
    ) -> str | None:
        """Whether a message of ours is already there (a send that ended without an answer).
        Newest first, a few pages deep: a retry comes minutes after the lost attempt."""
        cursor: str | None = None
        for _ in range(pages):
            if thread_ts:
                resp = await self.client.conversations_replies(
                    channel=channel,
                    ts=thread_ts,
                    include_all_metadata=True,
                    limit=200,
                    cursor=cursor,
                )
            else:
                resp = await self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=200, cursor=cursor
                )
            messages: list[dict[str, Any]] = resp.get("messages") or []
            for message in messages:
                if _outbox_id(message) == outbox_id or (
                    case_id is not None and _alert_case_id(message) == case_id
                ):
                    return str(message["ts"])
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                return None
        return None

    async def permalink(self, channel: str, ts: str) -> str | None:
        resp = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        return resp.get("permalink")

    async def user_tz(self, user: str) -> str | None:
        resp = await self.client.users_info(user=user)
        return (resp.get("user") or {}).get("tz")

    async def upload(
        self, channel: str, *, filename: str, content: bytes, title: str, comment: str = ""
    ) -> None:
        await self.client.files_upload_v2(
            channel=channel,
            filename=filename,
            content=content,
            title=title,
            initial_comment=comment or None,
        )

    async def identity(self) -> dict[str, Any]:
        resp = await self.client.auth_test()
        return {
            "user": resp.get("user"),
            "team": resp.get("team"),
            "scopes": (resp.headers or {}).get("x-oauth-scopes", ""),
        }


def _outbox_id(message: dict[str, Any]) -> int | None:
    meta = message.get("metadata") or {}
    if meta.get("event_type") not in (CASE_EVENT_TYPE, MESSAGE_EVENT_TYPE):
        return None
    return (meta.get("event_payload") or {}).get("outbox_id")


def _alert_case_id(message: dict[str, Any]) -> int | None:
    meta = message.get("metadata") or {}
    if meta.get("event_type") != CASE_EVENT_TYPE:
        return None
    return (meta.get("event_payload") or {}).get("case_id")


def case_metadata(case_id: int, case_number: str, outbox_id: int) -> dict[str, Any]:
    payload = {"case_id": case_id, "case": case_number, "outbox_id": outbox_id}
    return {"event_type": CASE_EVENT_TYPE, "event_payload": payload}


def message_metadata(outbox_id: int) -> dict[str, Any]:
    return {"event_type": MESSAGE_EVENT_TYPE, "event_payload": {"outbox_id": outbox_id}}


def dumps(message: dict[str, Any]) -> str:
    return json.dumps(message, ensure_ascii=False)
