"""Intake: a report, its alert, the receipt and its follow-ups, saved in one transaction."""

from __future__ import annotations

import logging
from datetime import datetime
from typing import Any

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.cases import followups
from bot.cases.amend import amend_report
from bot.cases.content import report_content
from bot.cases.domain import CaseView, ReportInput
from bot.cases.home_refresh import refresh_homes
from bot.cases.view import to_view
from bot.delivery.outbox import ALERT, ALERT_PART, RECEIPT, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.models import Report
from storage.reports import add_report, next_case_seq, report_by_view

log = logging.getLogger("kasuhara.intake")


class ReportNotSaved(Exception):
    """The database refused or could not be reached: nothing of the report was kept (the
    transaction rolled back), so the reporter must be told to send it again."""


def case_number(year: int, seq: int) -> str:
    return f"KH-{year}-{seq:04d}"


def _new_report(
    svc: Services,
    data: ReportInput,
    now: datetime,
    seq: int,
    suggested: tuple[int, ...],
    view_id: str | None,
) -> Report:
    year = svc.clock.local(now).year
    reminder_s, escalate_s = followups.timings(svc.settings, data.urgent)
    return Report(
        **report_content(svc, data, suggested),
        case_number=case_number(year, seq),
        year=year,
        seq=seq,
        team_id=data.team_id,
        reporter_id=data.reporter_id,
        created_at=now,
        source_permalink_enc=svc.cipher.encrypt(data.source_permalink),
        reminder_after_s=reminder_s,
        escalate_after_s=escalate_s,
        view_id=view_id,
    )


async def submit_report(
    svc: Services, data: ReportInput, *, view_id: str | None = None
) -> CaseView:
    """Save the report, its alert, its description's thread parts, the reporter's receipt and
    its follow-ups in one transaction. The same modal (`view_id`) submitted again, after
    Slack lost our ack or 送信 was pressed twice, answers with the case it already made (with
    the reporter's changes, if they edited it after "could not confirm": bot/cases/amend.py).
    Raises ReportNotSaved when the database fails; then nothing was saved."""
    try:
        try:
            view, new = await _save(svc, data, view_id)
        except IntegrityError:
            if not view_id:
                raise
            view, new = await _save(svc, data, view_id)  # a racing twin saved it first
    except (SQLAlchemyError, OSError) as exc:
        log.error("report could not be saved reporter=%s: %r", data.reporter_id, exc)
        raise ReportNotSaved from exc
    if new:
        svc.deliverer.kick()
    return view


async def _save(svc: Services, data: ReportInput, view_id: str | None) -> tuple[CaseView, bool]:
    now = svc.clock.now()
    # Before the transaction: the case-number row lock is held only for the inserts.
    suggested = () if data.behaviours else tuple(svc.matcher.suggest_behaviours(data.description))
    async with svc.sessions.begin() as session:
        if view_id and (known := await report_by_view(session, view_id=view_id)):
            log.info("resubmitted view answered with its case=%s", known.case_number)
            changed = await amend_report(svc, session, known, data, now=now, suggested=suggested)
            return to_view(svc.cipher, known, tolerant=True), changed
        seq = await next_case_seq(session, year=svc.clock.local(now).year)
        report = await add_report(session, _new_report(svc, data, now, seq, suggested, view_id))
        view = to_view(svc.cipher, report)
        await add_audit(
            session,
            at=now,
            actor_id=data.reporter_id,
            action="report.created",
            case_id=view.id,
            detail={"urgent": data.urgent, "length": len(data.description)},
        )
        await _enqueue_alert(svc, session, view, now)
        # Rendered when sent, once the alert's fate is known: the receipt must say the truth.
        await enqueue_message(
            session, now=now, kind=RECEIPT, channel=data.reporter_id, case_id=view.id
        )
        followups.plan_new_case(session, report, svc.settings, svc.clock)
        await refresh_homes(session, now, reporter=data.reporter_id)
    log.info(
        "report saved case=%s urgent=%s length=%d",
        view.case_number,
        data.urgent,
        len(data.description),
    )
    return view, True


async def _enqueue_alert(svc: Services, session: Any, view: CaseView, now: datetime) -> None:
    """The alert, then one thread row per part of the description it has no room for."""
    channel = svc.settings.supervisor_channel
    await enqueue_message(session, now=now, kind=ALERT, channel=channel, case_id=view.id)
    for part in range(len(svc.renderer.description_parts(view))):
        await enqueue_message(
            session,
            now=now,
            kind=ALERT_PART,
            channel=channel,
            case_id=view.id,
            message={"part": part},
        )
