"""The one place that calls Slack's Web API for the app's own messages."""

from __future__ import annotations

import asyncio
import json
import secrets
from dataclasses import dataclass
from typing import Any

from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.errors import (
    CHANNEL_HOLDS,
    FAILURES,
    GONE,
    Action,
    classify,
    error_code,
)
from bot.delivery.slack_http import PooledWebClient

CASE_EVENT_TYPE = "kasuhara_case"
MESSAGE_EVENT_TYPE = "kasuhara_message"


class UploadRefused(OSError):
    """The upload URL did not take the file's bytes (its HTTP status in the message)."""


class UploadUnconfirmed(Exception):
    """files.completeUploadExternal's answer was lost and the file is not seen shared: it may
    or may not arrive. `code` is what the failed call said."""

    def __init__(self, code: str) -> None:
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class ChannelVerdict:
    channel: str
    safe: bool
    reason: str | None  # catalogue key under "check." when not safe
    name: str = ""


PERMALINKS_KEPT = 2000


class SlackGateway:
    def __init__(self, client: AsyncWebClient) -> None:
        self.client = client
        self._permalinks: dict[tuple[str, str], str] = {}

    async def close(self) -> None:
        """Close the client's shared HTTP session, if it has one (at shutdown)."""
        if isinstance(self.client, PooledWebClient):
            await self.client.close()

    async def post(
        self,
        channel: str,
        message: dict[str, Any],
        *,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
    ) -> str:
        """chat.postMessage; returns the message's ts.

        With `metadata` (the outbox's, naming its row) this is one call: the outbox looks for
        the message before it tries again (Sender._post_once). Without, a reply posted straight
        from a listener: a failure that may have been an answer lost after the post (a 5xx,
        `fatal_error`, a dropped connection) is looked for in the conversation by a mark in
        its metadata, and posted once more only if it is not there, or if the conversation
        cannot be read (an answer twice beats none)."""
        if metadata is not None:
            return await self._post(channel, message, thread_ts, metadata)
        mark = secrets.token_hex(8)
        marked = {"event_type": MESSAGE_EVENT_TYPE, "event_payload": {"mark": mark}}
        try:
            return await self._post(channel, message, thread_ts, marked)
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None or verdict.action != Action.RETRY or verdict.status == 429:
                raise  # refused, or paced before anything was posted
        found = await self._find_mark(channel, mark, thread_ts)
        return found or await self._post(channel, message, thread_ts, marked)

    async def _post(
        self,
        channel: str,
        message: dict[str, Any],
        thread_ts: str | None,
        metadata: dict[str, Any],
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

    async def _find_mark(self, channel: str, mark: str, thread_ts: str | None) -> str | None:
        """The ts of the newest messages' one carrying `mark`; None when absent or unreadable."""
        try:
            if thread_ts:
                resp = await self.client.conversations_replies(
                    channel=channel, ts=thread_ts, include_all_metadata=True, limit=50
                )
            else:
                resp = await self.client.conversations_history(
                    channel=channel, include_all_metadata=True, limit=50
                )
        except FAILURES:
            return None
        for found in resp.get("messages") or []:
            meta = found.get("metadata") or {}
            if (meta.get("event_payload") or {}).get("mark") == mark:
                return str(found["ts"])
        return None

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
        """Whether report content may go to `channel`: private, kept inside the organisation,
        not archived, the bot a member. Inside means neither ``is_ext_shared`` nor
        ``is_pending_ext_shared`` (an invitation not yet accepted still lets the outside
        organisation in later); a channel shared between workspaces of one Enterprise Grid
        organisation (``is_shared`` / ``is_org_shared`` alone) is internal. Source:
        https://api.slack.com/types/conversation. Raises SlackApiError only when the answer
        says nothing about the channel (token refused, 5xx, rate limit)."""
        if not channel:
            return ChannelVerdict(channel, False, "not_set")
        try:
            info = (await self.client.conversations_info(channel=channel))["channel"]
        except SlackApiError as exc:
            code = error_code(exc.response)
            if code in ("channel_not_found", "not_in_channel"):
                return ChannelVerdict(channel, False, "not_found")
            raise
        return channel_verdict(channel, info)

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
        """A message's permalink; kept once known, since it never changes (the oldest are
        forgotten past PERMALINKS_KEPT). None when Slack will not give it to the bot: a
        conversation it cannot see (`channel_not_found`: a DM between two people, a private
        channel without the bot), a deleted message (`message_not_found`). Others raise."""
        known = self._permalinks.get((channel, ts))
        if known is not None:
            return known
        try:
            resp = await self.client.chat_getPermalink(channel=channel, message_ts=ts)
        except SlackApiError as exc:
            if error_code(exc.response) in CHANNEL_HOLDS | GONE:
                return None  # not for this bot to see, or gone: no link, not "try again"
            raise
        url = resp.get("permalink")
        if isinstance(url, str) and url:
            if len(self._permalinks) >= PERMALINKS_KEPT:
                del self._permalinks[next(iter(self._permalinks))]
            self._permalinks[(channel, ts)] = url
            return url
        return None

    async def publish_home(self, user: str, view: dict[str, Any]) -> None:
        """views.publish: replaces the person's whole Home tab (100 blocks at most)."""
        await self.client.views_publish(user_id=user, view=view)

    async def user_names(self, users: list[str], limit: int = 20) -> dict[str, str]:
        """Display names for user ids (users.info, `users:read`), looked up together; an id
        Slack does not answer for (user_not_found, a user of another organisation the token
        cannot see, a failure) is left out, and the caller shows the id instead."""
        wanted = list(dict.fromkeys(users))[:limit]
        found = await asyncio.gather(*(self._user_name(u) for u in wanted), return_exceptions=True)
        return {u: n for u, n in zip(wanted, found, strict=True) if isinstance(n, str) and n}

    async def user_enterprise(self, user: str) -> str | None:
        """The Enterprise Grid organisation a person belongs to (users.info `enterprise_user`),
        None for a person of a workspace outside any Grid. Raises SlackApiError."""
        info = (await self.client.users_info(user=user)).get("user") or {}
        enterprise = (info.get("enterprise_user") or {}).get("enterprise_id")
        return enterprise if isinstance(enterprise, str) and enterprise else None

    async def _user_name(self, user: str) -> str | None:
        info = (await self.client.users_info(user=user)).get("user") or {}
        profile = info.get("profile") or {}
        name = profile.get("display_name") or profile.get("real_name") or info.get("real_name")
        return str(name or info.get("name") or "") or None

    async def thread(self, channel: str, ts: str, pages: int = 20) -> list[dict[str, Any]]:
        """Every message of a thread, the parent first (conversations.replies, 200 a page)."""
        found: list[dict[str, Any]] = []
        cursor: str | None = None
        for _ in range(pages):
            resp = await self.client.conversations_replies(
                channel=channel, ts=ts, limit=200, cursor=cursor
            )
            found.extend(resp.get("messages", []))
            cursor = (resp.get("response_metadata") or {}).get("next_cursor") or None
            if not cursor:
                break
        return found

    async def user_name(self, user: str) -> str | None:
        """The person's real name (or display name) as Slack shows it; users.info."""
        resp = await self.client.users_info(user=user)
        info = resp.get("user") or {}
        profile = info.get("profile") or {}
        return info.get("real_name") or profile.get("display_name") or info.get("name")

    async def user_tz(self, user: str) -> str | None:
        resp = await self.client.users_info(user=user)
        return (resp.get("user") or {}).get("tz")

    async def upload_to_dm(
        self, user: str, *, filename: str, content: bytes, title: str, comment: str = ""
    ) -> str:
        """`upload` into the app's DM with `user` (conversations.open first); the same errors."""
        channel = await self.open_dm(user)
        return await self.upload(
            channel, filename=filename, content=content, title=title, comment=comment
        )

    async def upload(
        self, channel: str, *, filename: str, content: bytes, title: str, comment: str = ""
    ) -> str:
        """Share a file in `channel` (files upload v2: files.getUploadURLExternal, the bytes to
        its upload URL, files.completeUploadExternal); returns the file id.

        The completion is never repeated: when its answer is lost (a 5xx, a dropped
        connection) Slack may have shared the file, so the conversation is looked at instead.
        Raises UploadUnconfirmed when the file is not seen there (Slack shares
        asynchronously, so it may still appear); SlackApiError, UploadRefused or a network
        error when nothing was shared."""
        got = await self.client.files_getUploadURLExternal(filename=filename, length=len(content))
        file_id = str(got["file_id"])
        # slack_sdk's own step 2 of files_upload_v2, on this client's session and retries.
        sent = await self.client._upload_file(
            url=str(got["upload_url"]),
            data=content,
            logger=self.client.logger,
            timeout=self.client.timeout,
            proxy=self.client.proxy,
            ssl=self.client.ssl,
        )
        if sent.status != 200:
            raise UploadRefused(f"upload_http_{sent.status}")
        try:
            await self.client.files_completeUploadExternal(
                files=[{"id": file_id, "title": title}],
                channel_id=channel,
                initial_comment=comment or None,
            )
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None or verdict.action != Action.RETRY or verdict.status == 429:
                raise  # refused, or paced before it was done: nothing was shared
            if await self._file_shared(channel, file_id):
                return file_id
            raise UploadUnconfirmed(verdict.code) from exc
        return file_id

    async def _file_shared(self, channel: str, file_id: str) -> bool:
        """Whether a recent message in `channel` carries the file (conversations.history)."""
        try:
            resp = await self.client.conversations_history(channel=channel, limit=20)
        except Exception as exc:
            if classify(exc) is None:
                raise
            return False
        messages: list[dict[str, Any]] = resp.get("messages") or []
        return any(f.get("id") == file_id for m in messages for f in m.get("files") or [])

    async def identity(self) -> dict[str, Any]:
        resp = await self.client.auth_test()
        return {
            "user": resp.get("user"),
            "team": resp.get("team"),
            "scopes": (resp.headers or {}).get("x-oauth-scopes", ""),
        }


def channel_verdict(channel: str, info: dict[str, Any]) -> ChannelVerdict:
    """The rules of `SlackGateway.verdict` applied to a conversation object."""
    name = str(info.get("name", ""))
    if info.get("is_archived"):
        return ChannelVerdict(channel, False, "archived", name)
    if not info.get("is_private"):
        return ChannelVerdict(channel, False, "not_private", name)
    if info.get("is_ext_shared"):
        return ChannelVerdict(channel, False, "ext_shared", name)
    if info.get("is_pending_ext_shared"):
        return ChannelVerdict(channel, False, "pending_shared", name)
    if info.get("is_member") is False:
        return ChannelVerdict(channel, False, "not_member", name)
    return ChannelVerdict(channel, True, None, name)


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
