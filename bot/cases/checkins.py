"""A reporter's answer to a wellbeing check-in; "相談したい" reaches a person."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery.idempotency import claim
from bot.delivery.outbox import DM, THREAD, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.followups import get_followup, record_checkin_answer
from storage.models import Report
from storage.reports import get_report

log = logging.getLogger("kasuhara.checkins")
ANSWERS = ("ok", "help")


async def answer_checkin(
    svc: Services, *, followup_id: int, user: str, answer: str, once: str | None = None
) -> str | None:
    """Record the first answer of the case's reporter; returns the thanks key, or None.
    `once`: the click's delivery key (a replay raises AlreadyHandled)."""
    if answer not in ANSWERS:
        return None
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        await claim(session, once, now)
        row = await get_followup(session, followup_id=followup_id)
        report = await get_report(session, case_id=row.case_id) if row else None
        if row is None or report is None or report.reporter_id != user:
            return None
        if await record_checkin_answer(session, followup_id=followup_id, response=answer, now=now):
            await add_audit(
                session, at=now, actor_id=user, action=f"checkin.{answer}", case_id=report.id
            )
            if answer == "help":
                await _notify_help(svc, session, report, now)
    if answer == "help":
        svc.deliverer.kick()
    return f"checkin.thanks_{answer}"


async def _notify_help(svc: Services, session: AsyncSession, report: Report, now: datetime) -> None:
    cat = svc.catalog
    if report.owner_id:
        text = cat.t("thread.checkin_help", user=report.owner_id, case_number=report.case_number)
        await enqueue_message(
            session,
            now=now,
            kind=DM,
            channel=report.owner_id,
            case_id=report.id,
            message=svc.renderer.text(text),
        )
        return
    await enqueue_message(
        session,
        now=now,
        kind=THREAD,
        channel=svc.settings.supervisor_channel,
        case_id=report.id,
        message=svc.renderer.text(cat.t("thread.checkin_help_channel")),
    )
