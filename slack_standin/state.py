"""Everything the stand-in remembers: messages, threads, views, triggers, files, call log."""

from __future__ import annotations

import copy
import itertools
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from slack_standin.workspace import ChannelInfo, Workspace

TRIGGER_TTL = 3.0  # seconds; Slack's documented trigger_id lifetime


@dataclass
class ApiCall:
    method: str
    args: dict[str, Any]
    ok: bool
    error: str | None
    at: float


@dataclass
class Trigger:
    issued_at: float
    user_id: str | None = None
    view_id: str | None = None  # set when issued from inside a modal: views.push targets its stack
    used: bool = False


@dataclass
class ResponseUrl:
    id: str
    channel_id: str | None
    user_id: str
    created_at: float
    message_ts: str | None = None  # the message the interaction came from (replace/delete target)
    uses: int = 0


class ApiError(Exception):
    """An `ok: false` answer; `extra` carries fields such as needed/provided/response_metadata."""

    def __init__(self, error: str, **extra: Any) -> None:
        super().__init__(error)
        self.error = error
        self.extra = extra


def tombstone(ts: str) -> dict[str, Any]:
    """What Slack leaves of a deleted thread parent."""
    return {
        "type": "message",
        "subtype": "tombstone",
        "text": "This message was deleted.",
        "user": "USLACKBOT",
        "hidden": True,
        "ts": ts,
        "thread_ts": ts,
        "parent_user_id": "USLACKBOT",
    }


@dataclass
class State:
    workspace: Workspace
    clock: Callable[[], float]
    channels: dict[str, ChannelInfo] = field(default_factory=dict)
    history: dict[str, list[dict[str, Any]]] = field(default_factory=dict)
    threads: dict[tuple[str, str], list[dict[str, Any]]] = field(default_factory=dict)
    ephemerals: list[dict[str, Any]] = field(default_factory=list)
    views: dict[str, dict[str, Any]] = field(default_factory=dict)
    stacks: dict[str, list[str]] = field(default_factory=dict)  # root view id -> open views
    home_views: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: list[dict[str, Any]] = field(default_factory=list)
    uploads: dict[str, dict[str, Any]] = field(default_factory=dict)  # file id -> pending upload
    triggers: dict[str, Trigger] = field(default_factory=dict)
    response_urls: dict[str, ResponseUrl] = field(default_factory=dict)
    response_url_posts: list[dict[str, Any]] = field(default_factory=list)
    calls: list[ApiCall] = field(default_factory=list)  # answered calls, in order
    arrivals: list[str] = field(default_factory=list)  # methods called, as each arrives
    base_url: str = ""  # "http://127.0.0.1:<port>/", known once the server listens
    socket_tickets: set[str] = field(default_factory=set)
    token_refused: bool = False  # every token answered invalid_auth (a rotation under way)
    count_utf16: bool = False  # message text limits counted in UTF-16 code units
    # The app's Messages tab switched off in its settings: DMs from the bot are refused
    # (chat.postMessage / chat.postEphemeral answer messages_tab_disabled).
    messages_tab_disabled: bool = False
    # Slack refusing every message that carries blocks with this error (invalid_blocks,
    # msg_blocks_too_long...), as it refuses the same blocks again however often they come.
    refuse_blocks: str | None = None
    _last_ts: float = 0.0
    _ids: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def __post_init__(self) -> None:
        self.channels = dict(self.workspace.channels)

    # --- identifiers -------------------------------------------------------------------------
    def new_ts(self) -> str:
        """Strictly increasing "1732700000.000100"-style ts, even with a frozen clock."""
        now = max(self.clock(), self._last_ts + 0.000001)
        self._last_ts = round(now, 6)
        return f"{self._last_ts:.6f}"

    def new_id(self, prefix: str) -> str:
        return f"{prefix}{next(self._ids):04d}{secrets.token_hex(3).upper()}"

    def new_trigger_id(self, user_id: str | None = None, view_id: str | None = None) -> str:
        trigger_id = (
            f"{next(self._ids)}{secrets.randbelow(10**5):05d}.{secrets.randbelow(10**5):05d}"
        )
        trigger_id += f".{secrets.token_hex(16)}"
        self.triggers[trigger_id] = Trigger(self.clock(), user_id, view_id)
        return trigger_id

    def exchange_trigger(self, trigger_id: str | None) -> Trigger:
        trigger = self.triggers.get(trigger_id or "")
        if trigger is None:
            raise ApiError("invalid_trigger_id")
        if trigger.used:
            raise ApiError("exchanged_trigger_id")
        if self.clock() - trigger.issued_at > TRIGGER_TTL:
            raise ApiError("expired_trigger_id")
        trigger.used = True
        return trigger

    def open_conversation(self, user_ids: list[str]) -> tuple[ChannelInfo, bool]:
        """The bot's IM (one user) or MPIM (several) with these users; True if it existed."""
        bot = self.workspace.bot_user_id
        members = tuple(sorted(set(user_ids) | {bot}))
        for info in self.channels.values():
            if (info.is_im or info.is_mpim) and tuple(sorted(info.members)) == members:
                return info, True
        if len(user_ids) == 1:
            info = ChannelInfo(
                id=self.new_id("D"),
                name=user_ids[0],
                is_private=True,
                is_im=True,
                members=members,
                user=user_ids[0],
            )
        else:
            name = "mpdm-" + "--".join(self.workspace.user_name(u) for u in members) + "-1"
            info = ChannelInfo(
                id=self.new_id("C"), name=name, is_private=True, is_mpim=True, members=members
            )
        self.channels[info.id] = info
        return info, False

    # --- messages ----------------------------------------------------------------------------
    def channel(self, channel_id: str | None) -> ChannelInfo:
        info = self.channels.get(channel_id or "")
        if info is None:
            raise ApiError("channel_not_found")
        return info

    def find_message(self, channel_id: str, ts: str) -> dict[str, Any] | None:
        """A top-level message or a thread reply, by ts."""
        for msg in self.history.get(channel_id, []):
            if msg["ts"] == ts:
                return msg
        for (chan, _), replies in self.threads.items():
            if chan == channel_id:
                for msg in replies:
                    if msg["ts"] == ts:
                        return msg
        return None

    def add_message(self, channel_id: str, msg: dict[str, Any]) -> dict[str, Any]:
        """Store a message; a thread_ts naming a known message makes it a reply."""
        thread_ts = msg.get("thread_ts")
        parent = self.find_message(channel_id, thread_ts) if thread_ts else None
        if parent is not None:
            root_ts = parent.get("thread_ts") or parent["ts"]
            root = self.find_message(channel_id, root_ts) or parent
            msg["thread_ts"] = root_ts
            msg["parent_user_id"] = root.get("user")
            self.threads.setdefault((channel_id, root_ts), []).append(msg)
            self._count_reply(root, msg)
            if msg.get("reply_broadcast"):
                self.history.setdefault(channel_id, []).append(msg)
        else:
            # Slack posts to the channel when thread_ts names no message.
            msg.pop("thread_ts", None)
            self.history.setdefault(channel_id, []).append(msg)
        return msg

    @staticmethod
    def _count_reply(root: dict[str, Any], reply: dict[str, Any]) -> None:
        root["thread_ts"] = root["ts"]
        root["reply_count"] = root.get("reply_count", 0) + 1
        users = root.setdefault("reply_users", [])
        if reply.get("user") and reply["user"] not in users:
            users.append(reply["user"])
        root["reply_users_count"] = len(users)
        root["latest_reply"] = reply["ts"]

    def delete_message(self, channel_id: str, ts: str) -> None:
        """A person deletes a message. A thread parent with replies stays as a tombstone
        ("This message was deleted.", its replies kept), as Slack keeps it."""
        parent = next((m for m in self.history.get(channel_id, []) if m["ts"] == ts), None)
        if parent is not None and self.threads.get((channel_id, ts)):
            keep = {
                k: parent[k]
                for k in (
                    "ts",
                    "thread_ts",
                    "reply_count",
                    "reply_users",
                    "reply_users_count",
                    "latest_reply",
                )
                if k in parent
            }
            parent.clear()
            parent.update(tombstone(ts) | keep)
            return
        msgs = self.history.get(channel_id, [])
        self.history[channel_id] = [m for m in msgs if m["ts"] != ts]
        self.threads.pop((channel_id, ts), None)
        for (chan, root_ts), replies in self.threads.items():
            if chan == channel_id and any(m["ts"] == ts for m in replies):
                replies[:] = [m for m in replies if m["ts"] != ts]
                root = self.find_message(channel_id, root_ts)
                if root is not None:
                    root["reply_count"] = len(replies)

    def public_message(self, msg: dict[str, Any], with_metadata: bool = True) -> dict[str, Any]:
        """A copy as the API shows it (metadata only when asked for)."""
        out = copy.deepcopy(msg)
        if not with_metadata:
            out.pop("metadata", None)
        return out
