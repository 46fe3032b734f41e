"""Building the payloads Slack sends: identities, actions and state values, event envelopes."""

from __future__ import annotations

import copy
from collections.abc import Iterator
from typing import Any

from slack_standin.state import State

Json = dict[str, Any]
OPTION_SINGLE = {"static_select", "radio_buttons", "overflow", "external_select"}
OPTION_MULTI = {"multi_static_select", "checkboxes", "multi_external_select"}
# element type -> the state key Slack reports its selection under
SELECTED_KEY = {
    "users_select": "selected_user",
    "multi_users_select": "selected_users",
    "conversations_select": "selected_conversation",
    "multi_conversations_select": "selected_conversations",
    "channels_select": "selected_channel",
    "multi_channels_select": "selected_channels",
    "datepicker": "selected_date",
    "timepicker": "selected_time",
    "datetimepicker": "selected_date_time",
    "rich_text_input": "rich_text_value",
}
INITIAL_KEY = {
    "selected_user": "initial_user",
    "selected_users": "initial_users",
    "selected_conversation": "initial_conversation",
    "selected_conversations": "initial_conversations",
    "selected_channel": "initial_channel",
    "selected_channels": "initial_channels",
    "selected_date": "initial_date",
    "selected_time": "initial_time",
    "selected_date_time": "initial_date_time",
    "rich_text_value": "initial_value",
}


def team(state: State, user_id: str | None = None) -> Json | None:
    """The acting person's workspace; null on an org-wide (Grid) installation."""
    ws = state.workspace
    if ws.org_install:
        return None
    team_id = ws.team_of(user_id) if user_id else ws.team_id
    out: Json = {"id": team_id, "domain": ws.domain if team_id == ws.team_id else team_id.lower()}
    enterprise = ws.enterprise_of(user_id) if user_id else ws.enterprise_id
    if enterprise:
        out |= {"enterprise_id": enterprise, "enterprise_name": ws.enterprise_name}
    return out


def enterprise(state: State, user_id: str) -> Json | None:
    found = state.workspace.enterprise_of(user_id)
    return {"id": found, "name": state.workspace.enterprise_name} if found else None


def user(state: State, user_id: str) -> Json:
    name = state.workspace.user_name(user_id)
    team_id = state.workspace.team_of(user_id)
    return {"id": user_id, "username": name, "name": name, "team_id": team_id}


def channel_name(state: State, channel_id: str) -> str:
    info = state.channels.get(channel_id)
    if info is None or info.is_im:
        return "directmessage"
    return "privategroup" if info.is_private and not info.is_mpim else info.name


def common(state: State, kind: str, user_id: str) -> Json:
    ws = state.workspace
    return {
        "type": kind,
        "team": team(state, user_id),
        "user": user(state, user_id),
        "api_app_id": ws.app_id,
        "token": ws.verification_token,
        "enterprise": enterprise(state, user_id),
        "is_enterprise_install": ws.org_install,
    }


def iter_elements(blocks: list[Json] | None) -> Iterator[tuple[str, Json]]:
    """(block_id, element) for every interactive element in these blocks."""
    for block in blocks or []:
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
        for el in elements:
            if isinstance(el, dict) and "action_id" in el:
                yield block.get("block_id", ""), el


def find_element(
    blocks: list[Json] | None, action_id: str, block_id: str | None
) -> tuple[str, Json]:
    for bid, el in iter_elements(blocks):
        if el["action_id"] == action_id and block_id in (None, bid):
            return bid, el
    raise ValueError(f"no element with action_id={action_id!r} (block_id={block_id!r}) on screen")


def _options(el: Json) -> list[Json]:
    groups = [o for g in el.get("option_groups") or [] for o in g.get("options", [])]
    return list(el.get("options") or []) + groups


def _pick(el: Json, value: Any) -> Json:
    for option in _options(el):
        if option.get("value") == value:
            return copy.deepcopy(option)
    if el["type"].startswith(("external", "multi_external")):
        return {"text": {"type": "plain_text", "text": str(value)}, "value": value}
    raise ValueError(f"{el['action_id']!r} has no option with value {value!r}")


def state_value(el: Json, value: Any = None) -> Json:
    """What Slack reports for an element; value None means "left as initially shown"."""
    kind = el["type"]
    out: Json = {"type": kind}
    if kind in OPTION_SINGLE:
        chosen = el.get("initial_option") if value is None else _pick(el, value)
        out["selected_option"] = copy.deepcopy(chosen)
    elif kind in OPTION_MULTI:
        values = value if isinstance(value, list | tuple) else [] if value is None else [value]
        picked = [_pick(el, v) for v in values]
        out["selected_options"] = picked if value is not None else el.get("initial_options", [])
    elif kind in SELECTED_KEY:
        key = SELECTED_KEY[kind]
        out[key] = el.get(INITIAL_KEY[key]) if value is None else value
    else:  # plain_text_input, number_input, email/url inputs, buttons
        out["value"] = el.get("initial_value", el.get("value")) if value is None else value
    return out


def action(state: State, block_id: str, el: Json, value: Any) -> Json:
    act = state_value(el, value) | {"action_id": el["action_id"], "block_id": block_id}
    if el["type"] == "button":
        if value is not None and value != el.get("value"):
            raise ValueError(f"button {el['action_id']!r} carries value {el.get('value')!r}")
        act = {k: v for k, v in act.items() if v is not None}
        act["text"] = copy.deepcopy(el.get("text"))
        if el.get("style"):
            act["style"] = el["style"]
    act["action_ts"] = f"{state.clock():.6f}"
    return act


def event_envelope(state: State, event: Json, event_id: str) -> Json:
    ws = state.workspace
    info = state.channels.get(str(event.get("channel")))
    event = dict(event)
    event.setdefault("event_ts", event.get("ts") or state.new_ts())
    return {
        "token": ws.verification_token,
        "team_id": ws.team_id,
        "enterprise_id": ws.enterprise_id,
        "api_app_id": ws.app_id,
        "event": event,
        "type": "event_callback",
        "event_id": event_id,
        "event_time": int(state.clock()),
        "authorizations": [
            {
                "enterprise_id": ws.enterprise_id,
                "team_id": None if ws.org_install else ws.team_id,
                "user_id": ws.bot_user_id,
                "is_bot": True,
                "is_enterprise_install": ws.org_install,
            }
        ],
        "is_ext_shared_channel": bool(info and info.is_ext_shared),
        "event_context": f"4-standin-{event_id}",
    }


# What a message event carries besides the basics, when the stored message has it.
MESSAGE_EXTRAS = (
    *("parent_user_id", "bot_id", "app_id", "bot_profile", "username", "metadata"),
    *("subtype", "files", "upload", "display_as_bot", "attachments", "root"),
)


def message_event(state: State, channel_id: str, message: Json) -> Json:
    """A `message` event for a stored message (events/MessagePayload.json's shape)."""
    info = state.channels[channel_id]
    channel_type = {"im": "im", "mpim": "mpim", "groups": "group"}.get(info.kind, "channel")
    keys = ("type", "user", "text", "ts", "team", "client_msg_id", "blocks", "thread_ts")
    event = {k: copy.deepcopy(message[k]) for k in keys if k in message}
    event |= {"channel": channel_id, "event_ts": message["ts"], "channel_type": channel_type}
    for key in MESSAGE_EXTRAS:
        if key in message:
            event[key] = copy.deepcopy(message[key])
    if info.is_ext_shared and message.get("user"):  # Slack Connect: whose side the author is on
        author_team = state.workspace.team_of(message["user"])
        event |= {"user_team": author_team, "source_team": author_team}
    return event


def message_changed_event(state: State, channel_id: str, message: Json, new_text: str) -> Json:
    """A person edits a stored message (subtype message_changed; the new message nested)."""
    edited = copy.deepcopy(message) | {"text": new_text}
    edited["edited"] = {"user": message.get("user"), "ts": state.new_ts()}
    previous = copy.deepcopy(message)
    message.update({"text": new_text, "edited": edited["edited"]})
    base = message_event(state, channel_id, message)
    return {
        "type": "message",
        "subtype": "message_changed",
        "hidden": True,
        "channel": channel_id,
        "channel_type": base["channel_type"],
        "ts": state.new_ts(),
        "event_ts": state.new_ts(),
        "message": edited,
        "previous_message": previous,
    }


def message_deleted_event(state: State, channel_id: str, message: Json) -> Json:
    """A person deletes a stored message (subtype message_deleted). A thread parent with
    replies becomes a tombstone, and Slack says so with message_changed instead."""
    previous = copy.deepcopy(message)
    state.delete_message(channel_id, message["ts"])
    base = message_event(state, channel_id, previous) if channel_id in state.channels else {}
    ts = state.new_ts()
    left = state.find_message(channel_id, previous["ts"])
    if left is not None and left.get("subtype") == "tombstone":
        return {
            "type": "message",
            "subtype": "message_changed",
            "hidden": True,
            "channel": channel_id,
            "channel_type": base.get("channel_type", "channel"),
            "ts": ts,
            "event_ts": ts,
            "message": copy.deepcopy(left),
            "previous_message": previous,
        }
    return {
        "type": "message",
        "subtype": "message_deleted",
        "hidden": True,
        "channel": channel_id,
        "channel_type": base.get("channel_type", "channel"),
        "ts": ts,
        "event_ts": ts,
        "deleted_ts": previous["ts"],
        "previous_message": previous,
    }
