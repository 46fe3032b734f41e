"""Intake: a report, its alert, the receipt and its follow-ups, saved in one transaction."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlalchemy.exc import SQLAlchemyError

from bot.cases import followups
from bot.cases.domain import CaseView, ReportInput, join_numbers
from bot.cases.view import to_view
from bot.delivery.outbox import ALERT, DM, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.models import Report
from storage.reports import add_report, next_case_seq

log = logging.getLogger("kasuhara.intake")


class ReportNotSaved(Exception):
    """The database refused or could not be reached: nothing of the report was kept (the
    transaction rolled back), so the reporter must be told to send it again."""


def case_number(year: int, seq: int) -> str:
    return f"KH-{year}-{seq:04d}"


def _new_report(
    svc: Services, data: ReportInput, now: datetime, seq: int, suggested: tuple[int, ...]
) -> Report:
    year = svc.clock.local(now).year
    reminder_s, escalate_s = followups.timings(svc.settings, data.urgent)
    encrypt = svc.cipher.encrypt
    return Report(
        case_number=case_number(year, seq),
        year=year,
        seq=seq,
        team_id=data.team_id,
        reporter_id=data.reporter_id,
        occurred_at=data.occurred_at,
        created_at=now,
        contact_channel=data.contact_channel,
        behaviours=join_numbers(data.behaviours),
        suggested_behaviours=join_numbers(suggested),
        urgent=data.urgent,
        support=data.support,
        description_enc=encrypt(data.description),
        customer_enc=encrypt(data.customer or None),
        source_permalink_enc=encrypt(data.source_permalink),
        description_length=len(data.description),
        reminder_after_s=reminder_s,
        escalate_after_s=escalate_s,
    )


async def submit_report(svc: Services, data: ReportInput) -> CaseView:
    """Save the report, its alert, the reporter's receipt and its follow-ups in one transaction.
    Raises ReportNotSaved when the database fails; then nothing was saved."""
    try:
        view = await _save(svc, data)
    except SQLAlchemyError as exc:
        log.exception("report could not be saved reporter=%s", data.reporter_id)
        raise ReportNotSaved from exc
    svc.deliverer.kick()
    return view


async def _save(svc: Services, data: ReportInput) -> CaseView:
    now = svc.clock.now()
    # Before the transaction: the case-number row lock is held only for the inserts.
    suggested = () if data.behaviours else tuple(svc.matcher.suggest_behaviours(data.description))
    async with svc.sessions.begin() as session:
        seq = await next_case_seq(session, year=svc.clock.local(now).year)
        report = await add_report(session, _new_report(svc, data, now, seq, suggested))
        view = to_view(svc.cipher, report)
        await add_audit(
            session,
            at=now,
            actor_id=data.reporter_id,
            action="report.created",
            case_id=view.id,
            detail={"urgent": data.urgent, "length": len(data.description)},
        )
        await enqueue_message(
            session, now=now, kind=ALERT, channel=svc.settings.supervisor_channel, case_id=view.id
        )
        await enqueue_message(
            session,
            now=now,
            kind=DM,
            channel=data.reporter_id,
            case_id=view.id,
            message=svc.renderer.receipt(view),
        )
        followups.plan_new_case(session, report, svc.settings, svc.clock)
    log.info(
        "report saved case=%s urgent=%s length=%d",
        view.case_number,
        data.urgent,
        len(data.description),
    )
    return view
