"""Policy questions asked with a mention in a channel, or in a DM (see message_events)."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from bot.delivery.idempotency import first_time
from bot.delivery.slack_text import mentioned_users, read_message
from bot.services import Services
from handlers.answer_view import build_answer, build_empty_question
from handlers.dedupe import key_of
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")


async def question_text(svc: Services, event: dict[str, Any], bot_user: str | None) -> str:
    """The question as the person wrote it (read by bot/delivery/slack_text.py, the one reader
    of Slack text), without the mention of the bot itself; attached files are not part of it."""
    others = [u for u in mentioned_users(event) if u != bot_user]
    names = await svc.gateway.user_names(others) if others else {}
    if bot_user:
        names = names | {bot_user: ""}
    body = read_message(event, names).body
    return " ".join(body.split())


def answer_message(svc: Services, question: str) -> dict[str, Any]:
    """The policy's answer to a question already in plain text (question_text, or a Home
    modal's plain_text_input), as a message to post."""
    if not question:
        return build_empty_question(svc.catalog)
    answer = svc.matcher.answer(question)
    log.info("question answered length=%d declined=%s", len(question), answer.declined)
    return build_answer(answer, svc.policy, svc.catalog, svc.settings.internal_desk)


async def answer_direct_message(
    svc: Services, event: dict[str, Any], bot_user: str | None, once: str | None = None
) -> None:
    """In the DM; a question asked inside a DM thread is answered in that thread. Once per
    event (`once`: its delivery key; Slack retries events)."""
    question = await question_text(svc, event, bot_user)
    thread = event.get("thread_ts")
    if await first_time(svc, once):
        await svc.gateway.post(
            event["channel"],
            answer_message(svc, question),
            thread_ts=str(thread) if thread else None,
        )


async def handle_app_mention(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """Answer in the mention's thread, once per event (Bolt has acked it already)."""
    if event.get("bot_id"):
        return
    svc: Services = context["svc"]
    thread = str(event.get("thread_ts") or event["ts"])
    question = await question_text(svc, event, context.bot_user_id)
    if await first_time(svc, key_of(context)):
        await svc.gateway.post(event["channel"], answer_message(svc, question), thread_ts=thread)


def register(app: Routes) -> None:
    app.event("app_mention")(handle_app_mention)
