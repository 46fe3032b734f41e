"""conversations.*, users.info, usergroups.users.list, auth.test, apps.connections.open."""

from __future__ import annotations

import base64
import binascii
import secrets
from decimal import Decimal, InvalidOperation
from typing import Any

from slack_standin.api_chat import as_bool
from slack_standin.state import ApiError, State
from slack_standin.workspace import ChannelInfo, UserInfo

Args = dict[str, Any]


def visible_channel(state: State, channel_id: Any) -> ChannelInfo:
    """Private conversations the bot is not in do not exist as far as its token can tell."""
    info = state.channel(channel_id)
    if info.kind != "channels" and state.workspace.bot_user_id not in info.members:
        raise ApiError("channel_not_found")
    return info


def channel_object(state: State, info: ChannelInfo, num_members: bool = False) -> Args:
    ws = state.workspace
    obj: Args = {
        "id": info.id,
        "created": info.created,
        "is_archived": info.is_archived,
        "is_im": info.is_im,
        "is_org_shared": info.is_org_shared,
        "context_team_id": ws.team_id,
        "updated": info.created * 1000,
    }
    if info.is_im:
        return obj | {"user": info.user, "is_user_deleted": False, "priority": 0}
    shared = info.is_ext_shared or info.is_org_shared
    obj |= {
        "name": info.name,
        "name_normalized": info.name,
        "is_channel": info.kind == "channels",
        "is_group": info.kind == "groups",
        "is_mpim": info.is_mpim,
        "is_private": info.is_private,
        "is_general": False,
        "is_shared": shared,
        "is_ext_shared": info.is_ext_shared,
        "is_pending_ext_shared": info.is_pending_ext_shared,
        "is_member": ws.bot_user_id in info.members,
        "shared_team_ids": [ws.team_id],
        "creator": next(iter(info.members), ""),
        "topic": {"value": info.topic, "creator": "", "last_set": 0},
        "purpose": {"value": info.purpose, "creator": "", "last_set": 0},
        "previous_names": [],
    }
    if num_members:
        obj["num_members"] = len(info.members)
    return obj


def paginate(items: list[Any], args: Args, default: int = 100) -> tuple[list[Any], str]:
    """Slack-style opaque cursors (base64 of "next_ts:<offset>")."""
    try:
        limit = max(1, min(int(args.get("limit") or default), 999))
        cursor = args.get("cursor")
        start = int(base64.b64decode(cursor).decode().split(":")[1]) if cursor else 0
    except (ValueError, IndexError, binascii.Error, UnicodeDecodeError) as exc:
        raise ApiError("invalid_cursor") from exc
    page = items[start : start + limit]
    more = start + limit < len(items)
    cursor = base64.b64encode(f"next_ts:{start + limit}".encode()).decode() if more else ""
    return page, cursor


def _ts_bound(value: Any, error: str) -> Decimal | None:
    if value in (None, "", "0"):
        return None
    try:
        return Decimal(str(value))
    except InvalidOperation as exc:
        raise ApiError(error) from exc


def _in_window(ts: str, args: Args) -> bool:
    oldest = _ts_bound(args.get("oldest"), "invalid_ts_oldest")
    latest = _ts_bound(args.get("latest"), "invalid_ts_latest")
    value, inclusive = Decimal(ts), as_bool(args.get("inclusive"))
    if oldest is not None and (value < oldest or (value == oldest and not inclusive)):
        return False
    return latest is None or value < latest or (value == latest and inclusive)


async def info(state: State, args: Args) -> Args:
    found = visible_channel(state, args.get("channel"))
    return {"channel": channel_object(state, found, as_bool(args.get("include_num_members")))}


async def members(state: State, args: Args) -> Args:
    found = visible_channel(state, args.get("channel"))
    page, cursor = paginate(list(found.members), args)
    return {"members": page, "response_metadata": {"next_cursor": cursor}}


async def open_conversation(state: State, args: Args) -> Args:
    if args.get("channel"):
        return {"channel": {"id": visible_channel(state, args["channel"]).id}}
    users = [u for u in str(args.get("users") or "").split(",") if u]
    if not users:
        raise ApiError("users_list_not_supplied")
    if len(users) > 8:
        raise ApiError("too_many_users")
    if any(u not in state.workspace.users for u in users):
        raise ApiError("user_not_found")
    if any(state.workspace.users[u].deleted for u in users):
        raise ApiError("user_disabled")
    found, existed = state.open_conversation(users)
    channel = channel_object(state, found) if as_bool(args.get("return_im")) else {"id": found.id}
    return {"no_op": existed, "already_open": existed, "channel": channel}


def _reading_member(state: State, channel_id: Any) -> ChannelInfo:
    found = visible_channel(state, channel_id)
    if state.workspace.bot_user_id not in found.members:
        raise ApiError("not_in_channel")
    return found


async def history(state: State, args: Args) -> Args:
    found = _reading_member(state, args.get("channel"))
    meta = as_bool(args.get("include_all_metadata"))
    msgs = [m for m in reversed(state.history.get(found.id, [])) if _in_window(m["ts"], args)]
    page, cursor = paginate(msgs, args)
    return {
        "messages": [state.public_message(m, meta) for m in page],
        "has_more": bool(cursor),
        "pin_count": 0,
        "channel_actions_ts": None,
        "channel_actions_count": 0,
        "response_metadata": {"next_cursor": cursor},
    }


async def replies(state: State, args: Args) -> Args:
    found = _reading_member(state, args.get("channel"))
    root = state.find_message(found.id, str(args.get("ts")))
    if root is None:
        raise ApiError("thread_not_found")
    root_ts = root.get("thread_ts") or root["ts"]
    parent = state.find_message(found.id, root_ts) or root
    thread = [parent, *state.threads.get((found.id, root_ts), [])]
    meta = as_bool(args.get("include_all_metadata"))
    page, cursor = paginate([m for m in thread if _in_window(m["ts"], args)], args, 1000)
    return {
        "messages": [state.public_message(m, meta) for m in page],
        "has_more": bool(cursor),
        "response_metadata": {"next_cursor": cursor},
    }


def user_object(state: State, user: UserInfo, locale: bool = False) -> Args:
    now, ws = state.clock(), state.workspace
    profile = {
        "real_name": user.real_name,
        "real_name_normalized": user.real_name,
        "display_name": user.name,
        "display_name_normalized": user.name,
        "team": ws.team_of(user.id),
        "image_48": f"https://avatars.example.invalid/{user.id}_48.png",
    }
    if user.email:
        profile["email"] = user.email
    obj: Args = {
        "id": user.id,
        "team_id": ws.team_of(user.id),
        "name": user.name,
        "deleted": user.deleted,
        "real_name": user.real_name,
        "tz": user.tz,
        "tz_label": user.tz_label(now),
        "tz_offset": user.tz_offset(now),
        "profile": profile,
        "is_admin": user.is_admin,
        "is_owner": False,
        "is_primary_owner": False,
        "is_restricted": False,
        "is_ultra_restricted": False,
        "is_bot": user.is_bot,
        "is_app_user": False,
        "updated": int(now),
    }
    enterprise = ws.enterprise_of(user.id)
    if enterprise:  # Grid: the person's organisation and the workspaces they are in
        teams = [ws.team_of(user.id)]
        obj["enterprise_user"] = {"id": user.id, "enterprise_id": enterprise, "teams": teams}
    return obj | {"locale": user.locale} if locale else obj


async def users_info(state: State, args: Args) -> Args:
    ws = state.workspace
    user = ws.users.get(str(args.get("user")))
    if user is None and args.get("user") == ws.bot_user_id:
        user = UserInfo(id=ws.bot_user_id, name=ws.bot_name, real_name=ws.bot_name, is_bot=True)
    if user is None:
        raise ApiError("user_not_found")
    return {"user": user_object(state, user, as_bool(args.get("include_locale")))}


async def usergroup_users(state: State, args: Args) -> Args:
    users = state.workspace.usergroups.get(str(args.get("usergroup")))
    if users is None:
        raise ApiError("no_such_subteam")
    return {"users": list(users)}


async def auth_test(state: State, args: Args) -> Args:
    ws = state.workspace
    return {
        "url": ws.url,
        "team": ws.team_name,
        "user": ws.bot_name,
        "team_id": ws.team_id,
        "user_id": ws.bot_user_id,
        "bot_id": ws.bot_id,
        "app_id": ws.app_id,
        "is_enterprise_install": ws.org_install,
        **({"enterprise_id": ws.enterprise_id} if ws.enterprise_id else {}),
    }


async def connections_open(state: State, args: Args) -> Args:
    ticket = secrets.token_hex(12)
    state.socket_tickets.add(ticket)
    base = state.base_url.replace("http://", "ws://", 1)
    return {"url": f"{base}socket/link/?ticket={ticket}&app_id={state.workspace.app_id}"}


HANDLERS = {
    "conversations.info": info,
    "conversations.members": members,
    "conversations.open": open_conversation,
    "conversations.history": history,
    "conversations.replies": replies,
    "users.info": users_info,
    "usergroups.users.list": usergroup_users,
    "auth.test": auth_test,
    "apps.connections.open": connections_open,
}
