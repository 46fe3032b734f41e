"""Slack's retries and repeated interaction payloads are acted on once."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.response import BoltResponse

from bot.delivery.idempotency import first_time
from bot.services import Services
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")


def delivery_key(body: dict[str, Any]) -> str | None:
    """Events carry an event_id across retries; interactions a single-use trigger_id."""
    if body.get("type") == "event_callback" and body.get("event_id"):
        return f"event:{body['event_id']}"
    trigger = body.get("trigger_id")
    if trigger:
        return f"trigger:{trigger}"
    actions = body.get("actions")
    if isinstance(actions, list) and actions and isinstance(actions[0], dict):
        user = body.get("user")
        user_id = user.get("id") if isinstance(user, dict) else None
        container = body.get("container") or {}
        return f"action:{user_id}:{actions[0].get('action_ts')}:{container}"
    return None


async def dedupe(
    body: dict[str, Any],
    context: AsyncBoltContext,
    resp: BoltResponse,
    next: Callable[[], Awaitable[Any]],
) -> Any:
    svc: Services = context["svc"]
    key = delivery_key(body)
    if key is not None and not await first_time(svc, key):
        log.info("duplicate delivery ignored type=%s", body.get("type") or body.get("command"))
        return BoltResponse(status=200, body="")
    return await next()


def register(app: Routes) -> None:
    app.middleware(dedupe)
