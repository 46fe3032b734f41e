"""「このメッセージを報告」: the report modal, prefilled with the message as a person reads it.

A trigger_id lasts 3 s from the click (Slack: "trigger_id expires in 3 seconds"), and
chat.getPermalink can be slow or rate limited (a 429 with Retry-After: 3 is waited out
here, once the modal is open) or refused (`channel_not_found` for a DM between two people
or a private channel without the bot). So the modal opens first, with whatever the lookups
gave within OPEN_BUDGET_S; what arrives later is added with views.update, and a missing
link is said, not hidden.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.delivery.errors import Action, classify, error_code
from bot.delivery.slack_text import ReadMessage, mentioned_users, read_message
from bot.services import Services
from handlers.envelope import as_dict
from handlers.ids import Callback
from handlers.report_modal import behaviour_options, open_report_modal
from handlers.report_view import SourceLink, build_report_modal
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")

OPEN_BUDGET_S = 1.0  # of the trigger's 3 s, what the lookups may take before the modal opens
LINK_WAIT_MAX_S = 30.0  # a longer Retry-After: the report goes without the link


def prefill(svc: Services, read: ReadMessage) -> str:
    """The description field's text: the words, then the names of attached files."""
    if not read.files:
        return read.body
    files = svc.catalog.t("modal.attached_files", files="、".join(read.files))
    return f"{read.body}\n\n{files}" if read.body else files


async def _permalink(svc: Services, channel: str, ts: str) -> str | None:
    """The link, asked again once after a wait Slack asks for (429 Retry-After, a 5xx):
    the modal is open by then, so waiting costs the person nothing."""
    if not (channel and ts):
        return None
    for attempt in range(2):
        try:
            return await svc.gateway.permalink(channel, ts)
        except SlackApiError as exc:
            verdict = classify(exc)
            if attempt or verdict is None or verdict.action != Action.RETRY:
                log.warning("permalink unavailable: %s", error_code(exc.response))
                return None
            await asyncio.sleep(min(verdict.retry_after or 1.0, LINK_WAIT_MAX_S))
    return None


def _results(
    svc: Services, message: dict[str, Any], names: asyncio.Task[Any], link: asyncio.Task[Any]
) -> tuple[str, SourceLink]:
    known = names.result() if names.done() and not names.exception() else {}
    text = prefill(svc, read_message(message, known))
    if not link.done():
        return text, SourceLink(None, pending=True)
    return text, SourceLink(None if link.exception() else link.result())


async def handle_message_shortcut(
    ack: AsyncAck,
    shortcut: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    svc: Services = context["svc"]
    message = as_dict(shortcut.get("message"))
    channel = str(as_dict(shortcut.get("channel")).get("id") or "")
    ts = str(message.get("ts") or shortcut.get("message_ts") or "")
    names = asyncio.create_task(svc.gateway.user_names(mentioned_users(message)))
    link = asyncio.create_task(_permalink(svc, channel, ts))
    await asyncio.wait({names, link}, timeout=OPEN_BUDGET_S)
    text, source = _results(svc, message, names, link)
    try:
        view = await open_report_modal(client, svc, str(shortcut["trigger_id"]), text, source)
    except Exception as exc:
        verdict = classify(exc)  # Slack's refusal (any body) or the network
        if verdict is None:
            raise
        log.warning("views.open failed: %s", verdict.code)
        names.cancel()
        link.cancel()
        await respond(response_type="ephemeral", text=svc.catalog.t("command.open_failed"))
        return
    if (names.done() and link.done()) or not view.get("id"):
        return
    await asyncio.wait({names, link})
    await _complete(svc, client, view, *_results(svc, message, names, link))


async def _complete(
    svc: Services, client: AsyncWebClient, opened: dict[str, Any], text: str, source: SourceLink
) -> None:
    """Replace the open modal with the late link and names. Slack keeps what the person has
    typed or chosen (same block and action ids); `hash` refuses to overwrite a newer view."""
    view = build_report_modal(svc.catalog, behaviour_options(svc), svc.clock.now(), text, source)
    try:
        await client.views_update(view_id=opened["id"], hash=opened.get("hash"), view=view)
    except SlackApiError as exc:  # closed or submitted meanwhile: nothing left to complete
        log.info("report modal not completed: %s", error_code(exc.response))


def register(app: Routes) -> None:
    app.shortcut(Callback.SHORTCUT_MESSAGE)(handle_message_shortcut)
