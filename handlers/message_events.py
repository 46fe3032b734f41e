"""Message events: a DM to the bot is a question; a supervisor's reply in an alert's thread
counts as acknowledging it. Bolt runs only the first matching listener, hence one router."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from bot.cases.lifecycle import acknowledge_by_reply
from bot.services import Services
from handlers.questions import answer_direct_message
from handlers.routes import Routes


async def handle_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
    if event.get("bot_id") or event.get("subtype"):
        return
    svc: Services = context["svc"]
    if event.get("channel_type") == "im":
        await answer_direct_message(svc, event)
        return
    thread = event.get("thread_ts")
    if (
        event.get("channel") == svc.settings.supervisor_channel
        and thread
        and thread != event.get("ts")
    ):
        await acknowledge_by_reply(svc, thread_ts=str(thread), user=str(event.get("user", "")))


def register(app: Routes) -> None:
    app.event("message")(handle_message)
