"""Policy questions asked with a mention in a channel, or in a DM (see message_events)."""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from bot.services import Services
from handlers.answer_view import build_answer, build_empty_question
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")
MENTION = re.compile(r"<@[A-Z0-9]+(\|[^>]*)?>")


def answer_message(svc: Services, text: str) -> dict[str, Any]:
    """The policy's answer to a question (mentions removed), as a message to post."""
    question = " ".join(MENTION.sub(" ", text).split())
    if not question:
        return build_empty_question(svc.catalog)
    answer = svc.matcher.answer(question)
    log.info("question answered length=%d declined=%s", len(question), answer.declined)
    return build_answer(answer, svc.policy, svc.catalog, svc.settings.internal_desk)


async def answer_direct_message(svc: Services, event: dict[str, Any]) -> None:
    await svc.gateway.post(event["channel"], answer_message(svc, str(event.get("text") or "")))


async def handle_app_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
    if event.get("bot_id"):
        return
    svc: Services = context["svc"]
    thread = str(event.get("thread_ts") or event["ts"])
    message = answer_message(svc, str(event.get("text") or ""))
    await svc.gateway.post(event["channel"], message, thread_ts=thread)


def register(app: Routes) -> None:
    app.event("app_mention")(handle_app_mention)
