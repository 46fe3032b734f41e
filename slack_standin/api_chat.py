"""chat.* methods."""

from __future__ import annotations

import copy
from typing import Any

from slack_standin.limits import check_message, message_too_long, stamp_ids
from slack_standin.state import ApiError, State
from slack_standin.workspace import ChannelInfo

Args = dict[str, Any]


def as_bool(value: Any) -> bool:
    return value is True or str(value).lower() in ("true", "1")


def resolve_channel(state: State, value: Any) -> ChannelInfo:
    """A channel id, "#name", or a user id (posts go to the bot's IM with that user)."""
    value = str(value or "")
    if value[:1] in ("U", "W") and value in state.workspace.users:
        return state.open_conversation([value])[0]
    name = value.removeprefix("#")
    for info in state.channels.values():
        if info.id == value or (info.name == name and not info.is_im):
            return info
    raise ApiError("channel_not_found")


def require_postable(state: State, info: ChannelInfo) -> None:
    if info.is_archived:
        raise ApiError("is_archived")
    if state.workspace.bot_user_id in info.members:
        return
    # Public channels accept non-member bots only with chat:write.public.
    if info.is_private or "chat:write.public" not in state.workspace.scopes:
        raise ApiError("not_in_channel")


def check_content(args: Args, need_content: bool = True, utf16: bool = False) -> None:
    """no_text / msg_too_long / invalid_blocks, as chat.postMessage reports them."""
    text, blocks = args.get("text"), args.get("blocks")
    if need_content and not (text or blocks or args.get("attachments")):
        raise ApiError("no_text")
    if message_too_long(text):
        raise ApiError("msg_too_long")
    if blocks is None:
        return
    if not isinstance(blocks, list):
        raise ApiError("invalid_blocks_format")
    errors = check_message(text, blocks, utf16)
    if errors:
        plain = [e.removeprefix("[ERROR] ") for e in errors]
        raise ApiError("invalid_blocks", errors=plain, response_metadata={"messages": errors})


def check_metadata(metadata: Any) -> None:
    if metadata is None:
        return
    ok = isinstance(metadata, dict) and isinstance(metadata.get("event_type"), str)
    if not ok or not isinstance(metadata.get("event_payload", {}), dict):
        raise ApiError("invalid_metadata_schema")


def bot_message(state: State, args: Args, ts: str) -> dict[str, Any]:
    ws = state.workspace
    msg: dict[str, Any] = {
        "type": "message",
        "user": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ws.app_id,
        "text": args.get("text") or "",
        "ts": ts,
        "team": ws.team_id,
        "bot_profile": {"id": ws.bot_id, "app_id": ws.app_id, "name": ws.bot_name},
    }
    for key in ("blocks", "attachments", "metadata", "thread_ts"):
        if args.get(key) is not None:
            msg[key] = stamp_ids(copy.deepcopy(args[key]))
    if as_bool(args.get("reply_broadcast")):
        msg["reply_broadcast"] = True
    return msg


def check_dm_allowed(state: State, info: ChannelInfo) -> None:
    if info.is_im and state.messages_tab_disabled:
        raise ApiError("messages_tab_disabled")


def check_blocks_taken(state: State, args: Args) -> None:
    if state.refuse_blocks and args.get("blocks"):
        raise ApiError(state.refuse_blocks)


async def post_message(state: State, args: Args) -> Args:
    info = resolve_channel(state, args.get("channel"))
    require_postable(state, info)
    check_dm_allowed(state, info)
    check_content(args, utf16=state.count_utf16)
    check_blocks_taken(state, args)
    check_metadata(args.get("metadata"))
    msg = state.add_message(info.id, bot_message(state, args, state.new_ts()))
    return {"channel": info.id, "ts": msg["ts"], "message": state.public_message(msg)}


def own_message(state: State, args: Args, ts_key: str, refusal: str) -> tuple[str, Args]:
    info = resolve_channel(state, args.get("channel"))
    msg = state.find_message(info.id, str(args.get(ts_key)))
    if msg is None or msg.get("subtype") == "tombstone":
        raise ApiError("message_not_found")
    if msg.get("user") != state.workspace.bot_user_id:
        raise ApiError(refusal)  # bot tokens may only edit or delete their own messages
    return info.id, msg


async def update(state: State, args: Args) -> Args:
    channel_id, msg = own_message(state, args, "ts", "cant_update_message")
    check_content(args, need_content=False, utf16=state.count_utf16)
    check_blocks_taken(state, args)
    check_metadata(args.get("metadata"))
    for key in ("text", "blocks", "attachments", "metadata"):
        if args.get(key) is not None:
            msg[key] = stamp_ids(copy.deepcopy(args[key]))
    msg["edited"] = {"user": state.workspace.bot_user_id, "ts": state.new_ts()}
    return {
        "channel": channel_id,
        "ts": msg["ts"],
        "text": msg.get("text", ""),
        "message": state.public_message(msg),
    }


async def delete(state: State, args: Args) -> Args:
    channel_id, msg = own_message(state, args, "ts", "cant_delete_message")
    state.delete_message(channel_id, msg["ts"])
    return {"channel": channel_id, "ts": msg["ts"]}


async def post_ephemeral(state: State, args: Args) -> Args:
    info = resolve_channel(state, args.get("channel"))
    require_postable(state, info)
    check_dm_allowed(state, info)
    if args.get("user") not in info.members:
        raise ApiError("user_not_in_channel")
    check_content(args)
    ts = state.new_ts()
    state.ephemerals.append(
        {
            "channel": info.id,
            "user": args["user"],
            "text": args.get("text") or "",
            "blocks": stamp_ids(copy.deepcopy(args.get("blocks"))),
            "message_ts": ts,
            "thread_ts": args.get("thread_ts"),
        }
    )
    return {"message_ts": ts}


async def get_permalink(state: State, args: Args) -> Args:
    """Only for conversations the bot can see: a DM between two people or a private channel
    without the bot answers channel_not_found, as the real method does for a bot token."""
    info = state.channel(args.get("channel"))
    if info.kind != "channels" and state.workspace.bot_user_id not in info.members:
        raise ApiError("channel_not_found")
    msg = state.find_message(info.id, str(args.get("message_ts")))
    if msg is None:
        raise ApiError("message_not_found")
    link = f"{state.workspace.url}archives/{info.id}/p{msg['ts'].replace('.', '')}"
    if msg.get("thread_ts") and msg["thread_ts"] != msg["ts"]:
        link += f"?thread_ts={msg['thread_ts']}&cid={info.id}"
    return {"channel": info.id, "permalink": link}


HANDLERS = {
    "chat.postMessage": post_message,
    "chat.update": update,
    "chat.delete": delete,
    "chat.postEphemeral": post_ephemeral,
    "chat.getPermalink": get_permalink,
}
