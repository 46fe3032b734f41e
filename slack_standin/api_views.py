"""views.* methods plus the modal-stack bookkeeping the driver reuses for response_action."""

from __future__ import annotations

import copy
import secrets
from typing import Any

from slack_standin.limits import check_view, stamp_ids
from slack_standin.state import ApiError, State

Args = dict[str, Any]
MAX_STACK = 3  # Slack keeps at most three views in a modal stack
INTERNAL_KEYS = ("user", "closed")  # stand-in bookkeeping, never sent to the app
# What an app may set; id, hash, state and the rest are Slack's.
CLIENT_KEYS = frozenset(
    {
        "type",
        "title",
        "submit",
        "close",
        "blocks",
        "private_metadata",
        "callback_id",
        "external_id",
        "clear_on_close",
        "notify_on_close",
        "submit_disabled",
    }
)


def validate_view(view: Any, kinds: tuple[str, ...]) -> None:
    errors = check_view(view)
    if not errors and view.get("type") not in kinds:
        errors = [f"[ERROR] must be one of {', '.join(kinds)} [json-pointer:/view/type]"]
    if errors:
        raise ApiError("invalid_arguments", response_metadata={"messages": errors})


def public_view(view: dict[str, Any]) -> dict[str, Any]:
    return {k: copy.deepcopy(v) for k, v in view.items() if k not in INTERNAL_KEYS}


def _new_hash(state: State) -> str:
    return f"{int(state.clock())}.{secrets.token_hex(4)}"


def build_view(state: State, spec: Args, user_id: str | None, root: str | None = None) -> Args:
    ws, view_id = state.workspace, state.new_id("V")
    view: Args = {
        "id": view_id,
        "team_id": ws.team_id,
        "type": spec.get("type"),
        "title": None,
        "submit": None,
        "close": None,
        "blocks": [],
        "private_metadata": "",
        "callback_id": "",
        "external_id": "",
        "state": {"values": {}},
        "hash": _new_hash(state),
        "clear_on_close": False,
        "notify_on_close": False,
        "submit_disabled": False,
        "root_view_id": root or view_id,
        "previous_view_id": None,
        "app_id": ws.app_id,
        "app_installed_team_id": ws.team_id,
        "bot_id": ws.bot_id,
    }
    view |= {k: copy.deepcopy(v) for k, v in spec.items() if k in CLIENT_KEYS}
    stamp_ids(view["blocks"])
    view |= {"user": user_id, "closed": False}
    state.views[view_id] = view
    return view


def _check_external_id(state: State, spec: Args, except_id: str | None = None) -> None:
    ext = spec.get("external_id")
    for view in state.views.values():
        if ext and view["external_id"] == ext and not view["closed"] and view["id"] != except_id:
            raise ApiError("duplicate_external_id")


def stack_of(state: State, view_id: str) -> list[str] | None:
    return next((s for s in state.stacks.values() if view_id in s), None)


def push_view(state: State, parent_id: str, spec: Args) -> Args:
    """Push onto the stack holding `parent_id` (views.push and response_action push)."""
    stack = stack_of(state, parent_id)
    if stack is None:
        raise ApiError("not_found")
    if len(stack) >= MAX_STACK:
        raise ApiError("push_limit_reached")
    view = build_view(state, spec, state.views[parent_id]["user"], root=stack[0])
    view["previous_view_id"] = stack[-1]
    stack.append(view["id"])
    return view


def replace_view(state: State, view_id: str, spec: Args) -> Args:
    """Same view id, new content and hash (views.update and response_action update)."""
    old = state.views[view_id]
    keep = {k: old[k] for k in ("id", "root_view_id", "previous_view_id", "state", "user")}
    if not spec.get("external_id"):
        keep["external_id"] = old["external_id"]  # an update without one keeps the old one
    fresh = build_view(state, spec, old["user"])
    del state.views[fresh["id"]]
    fresh |= keep
    state.views[view_id] = fresh
    return fresh


def close_view(state: State, view_id: str, clear: bool = False) -> None:
    """Close the top view (or, with `clear`, the whole stack), as the Slack client does."""
    stack = stack_of(state, view_id)
    if stack is None:
        return
    closing = list(stack) if clear else [stack[-1]]
    for vid in closing:
        state.views[vid]["closed"] = True
        stack.remove(vid)
    if not stack:
        state.stacks = {root: s for root, s in state.stacks.items() if s}


async def views_open(state: State, args: Args) -> Args:
    validate_view(args.get("view"), ("modal",))
    _check_external_id(state, args["view"])
    trigger = state.exchange_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
    view = build_view(state, args["view"], trigger.user_id)
    state.stacks[view["id"]] = [view["id"]]
    return {"view": public_view(view)}


async def views_push(state: State, args: Args) -> Args:
    validate_view(args.get("view"), ("modal",))
    _check_external_id(state, args["view"])
    trigger = state.exchange_trigger(args.get("trigger_id") or args.get("interactivity_pointer"))
    parent = trigger.view_id
    if parent is None or stack_of(state, parent) is None:
        # A trigger from outside a modal: the user's most recently opened modal, if any.
        mine = [s for s in state.stacks.values() if state.views[s[0]]["user"] == trigger.user_id]
        parent = mine[-1][-1] if mine else None
    if parent is None:
        raise ApiError("not_found")
    return {"view": public_view(push_view(state, parent, args["view"]))}


def _find_for_update(state: State, args: Args) -> Args:
    if not args.get("view_id") and not args.get("external_id"):
        messages = ["[ERROR] either view_id or external_id is required"]
        raise ApiError("invalid_arguments", response_metadata={"messages": messages})
    for view in state.views.values():
        by_external = args.get("external_id") and view["external_id"] == args["external_id"]
        if (view["id"] == args.get("view_id") or by_external) and not view["closed"]:
            return view
    raise ApiError("not_found")


async def views_update(state: State, args: Args) -> Args:
    view = _find_for_update(state, args)
    validate_view(args.get("view"), (view["type"],))
    if args.get("hash") and args["hash"] != view["hash"]:
        raise ApiError("hash_conflict")
    _check_external_id(state, args["view"], except_id=view["id"])
    return {"view": public_view(replace_view(state, view["id"], args["view"]))}


async def views_publish(state: State, args: Args) -> Args:
    user_id = str(args.get("user_id"))
    if user_id not in state.workspace.users:
        raise ApiError("invalid_arguments", response_metadata={"messages": ["invalid `user_id`"]})
    validate_view(args.get("view"), ("home",))
    current = state.home_views.get(user_id)
    if current is not None and args.get("hash") and args["hash"] != current["hash"]:
        raise ApiError("hash_conflict")
    if current is None:
        view = build_view(state, args["view"], user_id)
    else:
        view = replace_view(state, current["id"], args["view"])
    state.home_views[user_id] = view
    return {"view": public_view(view)}


HANDLERS = {
    "views.open": views_open,
    "views.push": views_push,
    "views.update": views_update,
    "views.publish": views_publish,
}
