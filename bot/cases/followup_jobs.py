"""The follow-up job: claims due rows and turns each into exactly one outbox message."""

from __future__ import annotations

import logging
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases import followups as fu
from bot.cases.home_refresh import refresh_homes
from bot.cases.view import to_view
from bot.clock import as_utc
from bot.delivery.outbox import DM, STAFF_DM, THREAD, enqueue_message
from bot.services import Services
from storage.followups import claim_due_followups, postpone_followup
from storage.models import CaseStatus, FollowUp, Report
from storage.reports import get_report

log = logging.getLogger("kasuhara.followups")
BATCH = 200


async def run_due_followups(svc: Services) -> int:
    """Send everything due now; several instances may run this at once."""
    total = 0
    while True:
        now = svc.clock.now()
        async with svc.sessions.begin() as session:
            rows = await claim_due_followups(session, now=now, worker=svc.worker_id, limit=BATCH)
            for row in rows:
                report = await get_report(session, case_id=row.case_id)
                if report is not None:
                    await _dispatch(svc, session, row, report, now)
        total += len(rows)
        if rows:
            svc.deliverer.kick()
        if len(rows) < BATCH:
            return total


def _waiting_for_ack(report: Report) -> bool:
    return report.acknowledged_at is None and report.resolved_at is None


async def _dispatch(
    svc: Services, session: AsyncSession, row: FollowUp, report: Report, now: datetime
) -> None:
    assert row.id is not None and report.id is not None
    snoozed = report.snoozed_until is not None and _aware(report.snoozed_until) > now
    if row.kind in (fu.REMINDER, fu.ESCALATION, fu.STALE) and snoozed:
        await postpone_followup(session, followup_id=row.id, due_at=_aware(report.snoozed_until))
        return
    if row.kind == fu.REMINDER and _waiting_for_ack(report):
        await _thread(svc, session, report, svc.catalog.t("thread.reminder"), now)
    elif row.kind == fu.ESCALATION and _waiting_for_ack(report):
        await _escalate(svc, session, report, now)
    elif row.kind == fu.CHECKIN:
        message = svc.renderer.checkin(to_view(svc.cipher, report, tolerant=True), row.id)
        await enqueue_message(
            session,
            now=now,
            kind=STAFF_DM,
            channel=report.reporter_id,
            case_id=report.id,
            message=message,
        )
    elif row.kind == fu.STALE and report.status == CaseStatus.IN_PROGRESS and report.owner_id:
        text = svc.catalog.t("thread.stale", user=report.owner_id, case_number=report.case_number)
        await _thread(svc, session, report, text, now)
        fu.plan_stale(session, report.id, now, svc.settings, svc.clock)
        await refresh_homes(session, now)  # the case moves to the queue's stale group


async def _thread(
    svc: Services, session: AsyncSession, report: Report, text: str, now: datetime
) -> None:
    await enqueue_message(
        session,
        now=now,
        kind=THREAD,
        channel=svc.settings.supervisor_channel,
        case_id=report.id,
        message=svc.renderer.text(text),
    )


async def _escalate(svc: Services, session: AsyncSession, report: Report, now: datetime) -> None:
    cat = svc.catalog
    urgency = cat.t("urgency.urgent" if report.urgent else "urgency.after")
    # Not pointing at the channel when the alert never reached it (held: bot/delivery/holds).
    key = "escalation.dm" if report.alert_ts else "escalation.dm_not_posted"
    text = cat.t(
        key,
        case_number=report.case_number,
        urgency=urgency,
        minutes=report.escalate_after_s // 60,
        reporter=report.reporter_id,
    )
    if not svc.settings.escalation_users:
        await _thread(svc, session, report, text, now)
        return
    for user in svc.settings.escalation_users:
        await enqueue_message(
            session,
            now=now,
            kind=DM,
            channel=user,
            case_id=report.id,
            message=svc.renderer.text(text),
        )


def _aware(moment: datetime | None) -> datetime:
    assert moment is not None
    return as_utc(moment)
