"""HR's on-demand words: `/kasuhara digest` and `/kasuhara export`, for HR channel members."""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.cases.lifecycle import refuse
from bot.delivery.errors import classify
from bot.delivery.slack_io import UploadUnconfirmed
from bot.digest.figures import behaviour_labels
from bot.digest.weekly import audit_hr, export_week, week_figures
from bot.digest.weeks import week_containing
from bot.services import Services
from handlers.digest_view import build_digest_message
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")
# Where the answer goes: Bolt's `respond` (ephemeral, for the command) or a DM (from the Home);
# called with `response_type` and the message's `text` / `blocks`.
Reply = Callable[..., Awaitable[Any]]


async def handle_hr_word(
    svc: Services, word: str, user: str, respond: Reply, once: str | None = None
) -> None:
    """`once`: the command's delivery key; only the export (a file sent by DM) records it."""
    if not await svc.is_member(svc.settings.hr_channel, user):
        await refuse(svc, case_id=None, actor=user, action=f"hr.{word}")
        await respond(response_type="ephemeral", text=svc.catalog.t("command.hr_only"))
        return
    if word == "digest":
        await _show_digest(svc, user, respond)
    else:
        await _send_export(svc, user, respond, once)


async def _show_digest(svc: Services, user: str, respond: Reply) -> None:
    """This week so far, to the asker only; the chart stays with the weekly post."""
    span = week_containing(svc.clock.now(), svc.clock.zone)
    figures = await week_figures(svc, span)
    await audit_hr(svc, actor=user, action="hr.digest", detail={"week": span.week})
    message = build_digest_message(figures, svc.catalog, behaviour_labels(svc.policy))
    await respond(response_type="ephemeral", **message)


async def _send_export(svc: Services, user: str, respond: Reply, once: str | None) -> None:
    """This week's cases as CSV, by DM to the HR member who asked (audited as hr.export)."""
    export = await export_week(svc, actor=user, once=once)
    try:
        await svc.gateway.upload_to_dm(
            user,
            filename=export.filename,
            content=export.content,
            title=export.title,
            comment=export.comment,
        )
    except UploadUnconfirmed as exc:  # may still arrive: asking again at once could send two
        log.warning("export %s not confirmed: %s", export.week, exc.code)
        await respond(response_type="ephemeral", text=svc.catalog.t("export.unconfirmed"))
        return
    except Exception as exc:
        verdict = classify(exc)  # Slack's refusal (any body) or the network
        if verdict is None:
            raise
        log.warning("export %s not delivered: %s", export.week, verdict.code)
        await respond(response_type="ephemeral", text=svc.catalog.t("export.failed"))
        return
    log.info("export %s sent rows=%d", export.week, export.count)
    await respond(response_type="ephemeral", text=svc.catalog.t("export.sent", count=export.count))


def register(app: Routes) -> None:
    """HR's words arrive through the `/kasuhara` command; nothing of their own to listen for."""
