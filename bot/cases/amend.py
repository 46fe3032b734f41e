"""A report's modal sent again with changes. When saving answers "could not confirm" the
modal stays open, and the reporter may change it before pressing 送信 again; the first save
may have gone through all the same. The case stays one case (its view id), but what
supervisors read is what the reporter sent last: the alert is redrawn, the change is noted in
its thread, and a description too long for the alert continues below the note again."""

from __future__ import annotations

import json
from datetime import datetime

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.content import report_content
from bot.cases.domain import ReportInput
from bot.cases.view import to_view
from bot.delivery.outbox import ALERT_PART, ALERT_UPDATE, THREAD, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.models import OutboxStatus, Report
from storage.outbox import rows_of_case


def _differs(svc: Services, known: Report, data: ReportInput) -> bool:
    """Whether the reporter changed anything (an empty time picker means "now" each time it
    is sent, which is no change)."""
    case = to_view(svc.cipher, known, tolerant=True)
    sent = (
        data.description,
        data.customer or None,
        data.customer_key or None,
        data.behaviours,
        data.contact_channel,
        data.occurred_at if data.occurred_given else case.occurred_at,
        data.urgent,
        data.support,
    )
    kept = (
        case.description,
        case.customer or None,
        case.customer_key or None,
        case.behaviours,
        case.contact_channel,
        case.occurred_at,
        case.urgent,
        case.support,
    )
    return sent != kept


async def amend_report(
    svc: Services,
    session: AsyncSession,
    known: Report,
    data: ReportInput,
    *,
    now: datetime,
    suggested: tuple[int, ...],
) -> bool:
    """Apply a resubmission of `known`'s modal in the caller's transaction; False when it is
    the same as what is stored (a lost ack, 送信 pressed twice), then nothing changes."""
    if known.id is None or known.purged_at is not None or not _differs(svc, known, data):
        return False
    content = report_content(svc, data, suggested)
    if not data.occurred_given:  # an empty time picker: the time first stored stands
        del content["occurred_at"]
    for column, value in content.items():
        setattr(known, column, value)
    session.add(known)
    await add_audit(
        session,
        at=now,
        actor_id=data.reporter_id,
        action="report.amended",
        case_id=known.id,
        detail={"urgent": data.urgent, "length": len(data.description)},
    )
    await _tell_supervisors(svc, session, known, now)
    return True


async def _tell_supervisors(
    svc: Services, session: AsyncSession, known: Report, now: datetime
) -> None:
    """Alert rows are drawn from the case when sent: an edit redraws the alert (waiting for
    it if it is not out yet); continuation parts not yet sent will carry the new text, and
    those already sent are followed by the note and the new text."""
    assert known.id is not None
    channel = svc.settings.supervisor_channel
    await enqueue_message(
        session,
        now=now,
        kind=ALERT_UPDATE,
        channel=channel,
        case_id=known.id,
        coalesce_key=f"alert:{known.id}",
    )
    note = svc.renderer.text(svc.catalog.t("thread.resubmitted"))
    await enqueue_message(
        session, now=now, kind=THREAD, channel=channel, case_id=known.id, message=note
    )
    parts = len(svc.renderer.description_parts(to_view(svc.cipher, known)))
    waiting = {
        int(json.loads(row.payload or "{}").get("part", 0))
        for row in await rows_of_case(session, case_id=known.id, kinds=[ALERT_PART])
        if row.status == OutboxStatus.PENDING
    }
    for part in range(parts):
        if part not in waiting:
            await enqueue_message(
                session,
                now=now,
                kind=ALERT_PART,
                channel=channel,
                case_id=known.id,
                message={"part": part},
            )
