"""The delivery key of each request, for the work that must happen once.

Nothing is written here: the key goes into the context as `delivery_key`, and the listeners
whose work changes something record it in the same transaction as that work (see
bot.delivery.idempotency). So a help text or a policy answer costs no write, and a retried
event or a replayed click finds its key and does nothing.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")

KEY = "delivery_key"


def delivery_key(body: dict[str, Any]) -> str | None:
    """Events carry an event_id across retries; interactions and commands a single-use
    trigger_id; a block action without one is told apart by its action_ts.
    (https://api.slack.com/apis/events-api#retries, /interactivity/handling#payloads)"""
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


def key_of(context: AsyncBoltContext) -> str | None:
    """The request's delivery key, for a listener to pass to the work it guards."""
    key = context.get(KEY)
    return key if isinstance(key, str) else None


async def note_key(
    body: dict[str, Any], context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]
) -> Any:
    context[KEY] = delivery_key(body)
    return await next()


def register(app: Routes) -> None:
    app.middleware(note_key)
