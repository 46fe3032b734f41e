"""`/kasuhara`: no text opens the report modal; a few words are commands; the rest is a question."""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases.lifecycle import reports_of
from bot.delivery.errors import classify
from bot.delivery.slack_text import readable
from bot.services import Services
from handlers import hr
from handlers.alert_view import reader_time
from handlers.answer_view import build_answer
from handlers.dedupe import key_of
from handlers.ids import COMMAND
from handlers.report_modal import open_report_modal
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")

WORDS = {
    "help": "help",
    "ヘルプ": "help",
    "へるぷ": "help",
    "?": "help",
    "report": "report",
    "報告": "report",
    "status": "status",
    "状況": "status",
    "digest": "digest",
    "export": "export",
}


async def _open(
    client: AsyncWebClient, svc: Services, command: dict[str, Any], respond: AsyncRespond
) -> None:
    try:
        await open_report_modal(client, svc, command["trigger_id"])
    except Exception as exc:
        verdict = classify(exc)  # Slack's refusal (any body) or the network
        if verdict is None:
            raise
        log.warning("views.open failed: %s", verdict.code)
        await respond(response_type="ephemeral", text=svc.catalog.t("command.open_failed"))


async def _status(svc: Services, user: str) -> dict[str, Any]:
    cases = await reports_of(svc, user)
    cat = svc.catalog
    if not cases:
        return {"text": cat.t("command.status_none")}
    lines = [cat.t("command.status_heading")] + [
        cat.t(
            "command.status_line",
            case_number=c.case_number,
            occurred=reader_time(svc.clock.local(c.occurred_at)),
            status=cat.t(f"state.{c.status}"),
        )
        for c in cases
    ]
    return {"text": "\n".join(lines)}


async def handle_kasuhara_command(
    ack: AsyncAck,
    command: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    svc: Services = context["svc"]
    # Slack escapes &, < and > in a command's text (and with should_escape, mentions come as
    # <@U…|name>): read it as the person typed it before matching words or the policy.
    text = " ".join(readable(str(command.get("text") or "")).split())
    word = WORDS.get(text.lower(), "question") if text else "report"
    if word == "report":
        await ack()
        await _open(client, svc, command, respond)
    elif word == "help":
        await ack(response_type="ephemeral", text=svc.catalog.t("command.help"))
    elif word == "status":
        await ack(response_type="ephemeral", **await _status(svc, command["user_id"]))
    elif word in ("digest", "export"):
        await ack()
        await hr.handle_hr_word(svc, word, command["user_id"], respond, key_of(context))
    else:
        answer = svc.matcher.answer(text)
        log.info("question answered length=%d declined=%s", len(text), answer.declined)
        message = build_answer(answer, svc.policy, svc.catalog, svc.settings.internal_desk)
        await ack(response_type="ephemeral", **message)


def register(app: Routes) -> None:
    app.command(COMMAND)(handle_kasuhara_command)
