"""Web API dispatch: argument parsing, auth, scopes, required args, faults, then the handler."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable
from typing import Any

from aiohttp import web

from slack_standin import api_chat, api_conversations, api_files, api_views
from slack_standin.faults import Fault, Faults
from slack_standin.spec_data import METHODS, MethodSpec
from slack_standin.state import ApiCall, ApiError, State

Handler = Callable[[State, dict[str, Any]], Awaitable[dict[str, Any]]]
HANDLERS: dict[str, Handler] = {
    **api_chat.HANDLERS,
    **api_conversations.HANDLERS,
    **api_views.HANDLERS,
    **api_files.HANDLERS,
}
# Fields slack_sdk (and form posts) send as JSON-encoded strings, with the error for bad JSON.
JSON_FIELDS = {
    "blocks": "invalid_blocks_format",
    "attachments": "invalid_attachments",
    "metadata": "invalid_metadata_format",
    "view": "invalid_arguments",
    "files": "invalid_arguments",
}
CHANNEL_FAMILIES = {"channels", "groups", "im", "mpim"}
APP_TOKEN_METHODS = {"apps.connections.open"}


async def read_args(request: web.Request) -> dict[str, Any]:
    args: dict[str, Any] = dict(request.query)
    if request.method == "POST" and request.can_read_body:
        if request.content_type == "application/json":
            try:
                body = json.loads(await request.text())
            except json.JSONDecodeError as exc:
                raise ApiError("invalid_json") from exc
            if isinstance(body, dict):
                body.pop("token", None)  # Slack takes JSON calls' tokens from the header only
                args.update(body)
        else:
            form = await request.post()
            args.update({k: v for k, v in form.items() if isinstance(v, str)})
    for key, error in JSON_FIELDS.items():
        if isinstance(args.get(key), str):
            try:
                args[key] = json.loads(args[key])
            except json.JSONDecodeError as exc:
                raise ApiError(error) from exc
    return args


def _token(request: web.Request, args: dict[str, Any]) -> str | None:
    header = request.headers.get("Authorization", "")
    if header.startswith("Bearer "):
        return header.removeprefix("Bearer ").strip()
    return args.get("token")


def check_auth(state: State, method: str, token: str | None) -> None:
    ws = state.workspace
    if not token:
        raise ApiError("not_authed")
    if token not in (ws.bot_token, ws.app_token) or state.token_refused:
        raise ApiError("invalid_auth")
    if (token == ws.app_token) != (method in APP_TOKEN_METHODS):
        raise ApiError("not_allowed_token_type")


def _conversation_kind(state: State, args: dict[str, Any]) -> str | None:
    if args.get("channel"):
        info = state.channels.get(str(args["channel"]))
        return info.kind if info else None
    users = [u for u in str(args.get("users") or "").split(",") if u]
    return ("im" if len(users) == 1 else "mpim") if users else None


def needed_scopes(state: State, spec: MethodSpec, args: dict[str, Any]) -> list[str]:
    """conversations.* need only the scope of the conversation's type (im:history for a DM)."""
    scopes = list(spec.bot_scopes)
    if len(scopes) > 1 and {s.split(":")[0] for s in scopes} <= CHANNEL_FAMILIES:
        kind = _conversation_kind(state, args)
        return [s for s in scopes if s.startswith(f"{kind}:")] if kind else []
    return scopes


def check_scopes(state: State, spec: MethodSpec, args: dict[str, Any]) -> None:
    granted = state.workspace.scopes
    missing = [s for s in needed_scopes(state, spec, args) if s not in granted]
    if missing:
        provided = ",".join(sorted(granted))
        raise ApiError("missing_scope", needed=",".join(missing), provided=provided)


def check_required(spec: MethodSpec, args: dict[str, Any]) -> None:
    missing = [a for a in spec.required if args.get(a) in (None, "")]
    if not missing:
        return
    if missing[0] == "channel" and "channel_not_found" in spec.errors:
        raise ApiError("channel_not_found")
    if missing[0] == "user" and "user_not_found" in spec.errors:
        raise ApiError("user_not_found")
    messages = [f"[ERROR] missing required field: {a}" for a in missing]
    raise ApiError("invalid_arguments", response_metadata={"messages": messages})


def _fault_response(fault: Fault, request: web.Request | None = None) -> web.Response:
    if fault.reset and request is not None and request.transport is not None:
        request.transport.abort()  # no answer at all: the client sees the connection reset
    if fault.text is not None:
        return web.Response(
            text=fault.text, status=fault.status, headers=fault.headers(), content_type="text/plain"
        )
    return web.json_response(fault.body(), status=fault.status, headers=fault.headers())


class WebApi:
    """The /api/<method> endpoint; SlackStandin owns one."""

    def __init__(self, state: State, faults: Faults) -> None:
        self.state = state
        self.faults = faults
        self.pace_post_message = False

    async def handle(self, request: web.Request) -> web.Response:
        method, at = request.match_info["method"], self.state.clock()
        self.state.arrivals.append(method)  # before any delay: a call can be seen in flight
        args: dict[str, Any] = {}
        try:
            args = await read_args(request)
            delay = self.faults.delays.get(method, 0.0)
            if delay:
                await asyncio.sleep(delay)
            fault = self.faults.take(method)
            if fault is not None and fault.after:
                await self._call(method, args, _token(request, args))  # done, answer lost
            if fault is not None:
                error = "connection_reset" if fault.reset else fault.body()["error"]
                self._record(method, args, error, at)
                return _fault_response(fault, request)
            result = await self._call(method, args, _token(request, args))
        except ApiError as exc:
            self._record(method, args, exc.error, at)
            return web.json_response({"ok": False, "error": exc.error, **exc.extra})
        except RateLimited as exc:
            self._record(method, args, "ratelimited", at)
            return _fault_response(Fault(429, retry_after=exc.retry_after))
        self._record(method, args, None, at)
        # Slack names the token's scopes on every answer; `kasuhara-bot check` reads it.
        scopes = ",".join(sorted(self.state.workspace.scopes))
        return web.json_response({"ok": True, **result}, headers={"X-OAuth-Scopes": scopes})

    async def _call(self, method: str, args: dict[str, Any], token: str | None) -> dict[str, Any]:
        check_auth(self.state, method, token)
        spec, handler = METHODS.get(method), HANDLERS.get(method)
        if spec is None or handler is None:
            raise ApiError("unknown_method")
        check_scopes(self.state, spec, args)
        check_required(spec, args)
        if method == "chat.postMessage" and self.pace_post_message:
            wait = self.faults.pace(str(args.get("channel")))
            if wait is not None:
                raise RateLimited(wait)
        return await handler(self.state, args)

    def _record(self, method: str, args: dict[str, Any], error: Any, at: float) -> None:
        shown = {k: v for k, v in args.items() if k != "token"}
        self.state.calls.append(ApiCall(method, shown, error is None, error, at))


class RateLimited(Exception):
    def __init__(self, retry_after: int) -> None:
        super().__init__(f"retry after {retry_after}s")
        self.retry_after = retry_after
