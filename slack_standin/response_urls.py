"""response_url endpoints: up to 5 posts within 30 minutes, like Slack's."""

from __future__ import annotations

import copy
import json
from typing import Any

from aiohttp import web

from slack_standin.api_chat import as_bool, bot_message, check_content
from slack_standin.state import ApiError, ResponseUrl, State

MAX_USES = 5
LIFETIME = 30 * 60.0


def new_response_url(
    state: State, channel_id: str | None, user_id: str, message_ts: str | None = None
) -> str:
    rid = state.new_id("R")
    state.response_urls[rid] = ResponseUrl(rid, channel_id, user_id, state.clock(), message_ts)
    return f"{state.base_url}response/{rid}"


def _original(state: State, target: ResponseUrl) -> dict[str, Any] | None:
    """The message the interaction came from: a stored message or an ephemeral."""
    if target.channel_id is None or target.message_ts is None:
        return None
    msg = state.find_message(target.channel_id, target.message_ts)
    if msg is not None:
        return msg
    return next((e for e in state.ephemerals if e["message_ts"] == target.message_ts), None)


def _apply(state: State, target: ResponseUrl, body: dict[str, Any]) -> None:
    original = _original(state, target)
    if as_bool(body.get("delete_original")):
        if original is not None and "message_ts" in original:
            state.ephemerals.remove(original)
        elif original is not None:
            state.delete_message(target.channel_id or "", original["ts"])
        return
    check_content(body)
    if as_bool(body.get("replace_original")) and original is not None:
        for key in ("text", "blocks", "attachments"):
            if key in body:
                original[key] = copy.deepcopy(body[key])
        return
    if body.get("response_type") == "in_channel" and target.channel_id:
        msg = bot_message(state, body, state.new_ts())
        state.add_message(target.channel_id, msg)
        return
    state.ephemerals.append(
        {
            "channel": target.channel_id,
            "user": target.user_id,
            "text": body.get("text") or "",
            "blocks": copy.deepcopy(body.get("blocks")),
            "message_ts": state.new_ts(),
            "thread_ts": body.get("thread_ts"),
        }
    )


def _refusal(state: State, target: ResponseUrl | None) -> tuple[int, str] | None:
    if target is None:
        return 404, "no_service"
    if state.clock() - target.created_at > LIFETIME:
        return 404, "expired_url"
    if target.uses >= MAX_USES:
        return 404, "used_url"
    return None


async def handle_post(state: State, request: web.Request) -> web.Response:
    rid = request.match_info["rid"]
    target = state.response_urls.get(rid)
    raw = await request.text()
    record: dict[str, Any] = {"id": rid, "url": str(request.url), "at": state.clock()}
    try:
        body = json.loads(raw) if raw else {}
        record["body"] = body
        refusal = _refusal(state, target)
        if refusal is None and target is not None:
            target.uses += 1
            _apply(state, target, body)
    except json.JSONDecodeError:
        record["body"], refusal = raw, (400, "invalid_payload")
    except ApiError as exc:
        refusal = (400, exc.error)
    record |= {"status": refusal[0] if refusal else 200, "error": refusal[1] if refusal else None}
    state.response_url_posts.append(record)
    if refusal:
        return web.json_response({"ok": False, "error": refusal[1]}, status=refusal[0])
    return web.json_response({"ok": True})
