"""Messages people and other apps post, stored as Slack stores them (no event is sent; the
driver delivers the `message` event for a stored message).

Shapes: https://api.slack.com/events/message and its subtypes `thread_broadcast` (a reply
also sent to the channel, with `root`), `file_share` (with `files`, `upload`); messages of other
apps (`bot_id`, `bot_profile`, `subtype: bot_message` for legacy webhooks); blocks-only
messages, for which Slack fills `text` with "This content can't be displayed.".
"""

from __future__ import annotations

import copy
import uuid
from typing import Any

from slack_standin.markup import rich_text
from slack_standin.state import State

Json = dict[str, Any]
BLOCKS_ONLY_TEXT = "This content can't be displayed."


def file_object(state: State, name: str, user: str, mimetype: str = "image/jpeg") -> Json:
    """A file as it appears inside a message (files[]), hosted by Slack."""
    file_id = state.new_id("F")
    base = f"{state.base_url}files-pri/{state.workspace.team_id}-{file_id}/{name}"
    return {
        "id": file_id,
        "created": int(state.clock()),
        "timestamp": int(state.clock()),
        "name": name,
        "title": name,
        "mimetype": mimetype,
        "filetype": name.rsplit(".", 1)[-1].lower() if "." in name else "binary",
        "user": user,
        "user_team": state.workspace.team_id,
        "mode": "hosted",
        "size": 1024,
        "url_private": base,
        "permalink": f"{state.workspace.url}files/{user}/{file_id}/{name}",
    }


def person_message(
    state: State,
    channel_id: str,
    user_id: str,
    text: str,
    *,
    thread_ts: str | None = None,
    broadcast: bool = False,
    files: list[str] | None = None,
    attachments: list[Json] | None = None,
) -> Json:
    """Store a person's message. `text` is the wire text (escaped; see markup.typed);
    `broadcast` is 「チャンネルにも投稿する」; `files` are names of files attached to it."""
    info = state.channel(channel_id)
    if user_id not in info.members:
        raise ValueError(f"{user_id} is not a member of {channel_id}")
    user = state.workspace.users.get(user_id)
    msg: Json = {
        "type": "message",
        "user": user_id,
        "text": text,
        "ts": state.new_ts(),
        "team": (user.team_id if user else None) or state.workspace.team_id,
        "client_msg_id": str(uuid.uuid4()),
    }
    if text:
        msg["blocks"] = [rich_text(text)]
    if files:
        msg |= {"subtype": "file_share", "upload": True, "display_as_bot": False}
        msg["files"] = [file_object(state, name, user_id) for name in files]
    if attachments:
        msg["attachments"] = copy.deepcopy(attachments)
    if thread_ts:
        msg["thread_ts"] = thread_ts
    if thread_ts and broadcast:
        root = state.find_message(info.id, thread_ts)
        msg |= {"subtype": "thread_broadcast", "reply_broadcast": True}
        msg["root"] = state.public_message(root, with_metadata=False) if root else {}
    return state.add_message(info.id, msg)


def app_message(
    state: State,
    channel_id: str,
    *,
    app_name: str = "メール転送",
    text: str = "",
    blocks: list[Json] | None = None,
    attachments: list[Json] | None = None,
) -> Json:
    """Another app's post (a forwarded email, a ticket card): its own bot_id, and Slack's
    fallback in `text` when it sent blocks only."""
    bot_id = "B" + app_name.encode().hex()[:8].upper()
    msg: Json = {
        "type": "message",
        "subtype": "bot_message",
        "bot_id": bot_id,
        "username": app_name,
        "text": text or (BLOCKS_ONLY_TEXT if blocks else ""),
        "ts": state.new_ts(),
        "bot_profile": {"id": bot_id, "name": app_name, "app_id": "A" + bot_id[1:]},
    }
    if blocks:
        msg["blocks"] = copy.deepcopy(blocks)
    if attachments:
        msg["attachments"] = copy.deepcopy(attachments)
    return state.add_message(state.channel(channel_id).id, msg)
