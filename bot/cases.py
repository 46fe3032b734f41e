"""The report lifecycle: intake, supervisor actions, and who may do what."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot import followups
from bot.clock import as_utc
from bot.domain import (
    CaseAction,
    CaseView,
    ReportInput,
    join_numbers,
    parse_numbers,
)
from bot.outbox import ALERT, ALERT_UPDATE, DM, STAFF_DM, THREAD, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.followups import cancel_followups
from storage.models import CaseStatus, Report
from storage.reports import (
    add_report,
    get_report,
    next_case_seq,
    report_by_alert,
    reports_by_reporter,
    update_report_if,
)

log = logging.getLogger("kasuhara.cases")


def case_number(year: int, seq: int) -> str:
    return f"KH-{year}-{seq:04d}"


def to_view(svc: Services, report: Report) -> CaseView:
    assert report.id is not None
    decrypt = svc.cipher.decrypt
    return CaseView(
        id=report.id,
        case_number=report.case_number,
        reporter_id=report.reporter_id,
        occurred_at=as_utc(report.occurred_at),
        created_at=as_utc(report.created_at),
        contact_channel=report.contact_channel,
        behaviours=parse_numbers(report.behaviours),
        suggested_behaviours=parse_numbers(report.suggested_behaviours),
        urgent=report.urgent,
        support=report.support,
        description=decrypt(report.description_enc),
        customer=decrypt(report.customer_enc),
        source_permalink=decrypt(report.source_permalink_enc),
        status=report.status,
        acknowledged_by=report.acknowledged_by,
        acknowledged_at=_utc(report.acknowledged_at),
        owner_id=report.owner_id,
        owned_at=_utc(report.owned_at),
        escalated_by=report.escalated_by,
        escalated_at=_utc(report.escalated_at),
        resolved_by=report.resolved_by,
        resolved_at=_utc(report.resolved_at),
        alert_channel=report.alert_channel,
        alert_ts=report.alert_ts,
        purged=report.purged_at is not None,
    )


def _utc(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment else None


def _new_report(svc: Services, data: ReportInput, now: datetime, seq: int) -> Report:
    year = svc.clock.local(now).year
    reminder_s, escalate_s = followups.timings(svc.settings, data.urgent)
    suggested = () if data.behaviours else tuple(svc.matcher.suggest_behaviours(data.description))
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
    """Save the report, its alert, the reporter's receipt and its follow-ups in one transaction."""
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        seq = await next_case_seq(session, year=svc.clock.local(now).year)
        report = await add_report(session, _new_report(svc, data, now, seq))
        view = to_view(svc, report)
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
    svc.deliverer.kick()
    return view


@dataclass(frozen=True)
class ActionResult:
    changed: bool
    notice_key: str | None = None  # ephemeral to the actor, from the catalogue
    notice_values: dict[str, str] = field(default_factory=dict)
    case: CaseView | None = None


async def load_case(svc: Services, case_id: int) -> CaseView | None:
    async with svc.sessions.begin() as session:
        report = await get_report(session, case_id=case_id)
        return to_view(svc, report) if report else None


async def refuse(svc: Services, *, case_id: int | None, actor: str, action: str) -> ActionResult:
    async with svc.sessions.begin() as session:
        detail: dict[str, object] = {"attempted": action}
        if case_id is not None and await get_report(session, case_id=case_id) is None:
            # A forged id: recorded in the detail, since the column must name a real case.
            detail["unknown_case"], case_id = case_id, None
        await add_audit(
            session,
            at=svc.clock.now(),
            actor_id=actor,
            action="action.refused",
            case_id=case_id,
            detail=detail,
        )
    log.warning("refused action=%s actor=%s case_id=%s", action, actor, case_id)
    return ActionResult(changed=False, notice_key="actions.forbidden")


async def perform(
    svc: Services, *, case_id: int, actor: str, action: CaseAction, outcome: str | None = None
) -> ActionResult:
    """Apply a supervisor's click; only members of the supervisors' channel may act."""
    if not await svc.is_member(svc.settings.supervisor_channel, actor):
        return await refuse(svc, case_id=case_id, actor=actor, action=action)
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        report = await get_report(session, case_id=case_id)
        if report is None:
            return ActionResult(changed=False, notice_key="actions.case_missing")
        changed = await _transition(svc, session, report, actor, action, now, outcome)
        if changed:
            await _after_change(svc, session, case_id, actor, action, now)
        await session.refresh(report)
        view = to_view(svc, report)
    if changed:
        svc.deliverer.kick()
        return ActionResult(changed=True, case=view)
    return _unchanged(view, actor, action)


def _unchanged(view: CaseView, actor: str, action: CaseAction) -> ActionResult:
    if action == CaseAction.TAKE and view.owner_id and view.owner_id != actor:
        return ActionResult(False, "actions.taken_by_other", {"user": view.owner_id}, view)
    return ActionResult(False, None, {}, view)


async def _transition(
    svc: Services,
    session: AsyncSession,
    report: Report,
    actor: str,
    action: CaseAction,
    now: datetime,
    outcome: str | None,
) -> bool:
    assert report.id is not None
    ack = {"acknowledged_at": now, "acknowledged_by": actor}
    if action == CaseAction.ACK:
        return await update_report_if(
            session,
            case_id=report.id,
            when={"acknowledged_at": None},
            values=ack | {"status": CaseStatus.ACKNOWLEDGED},
        )
    if action == CaseAction.SNOOZE:
        until = now + timedelta(days=1)
        return await update_report_if(
            session, case_id=report.id, when={"resolved_at": None}, values={"snoozed_until": until}
        )
    values, when = _action_values(action, actor, now, svc.cipher.encrypt(outcome))
    changed = await update_report_if(session, case_id=report.id, when=when, values=values)
    if changed:
        # Taking over, escalating or resolving a case also means someone has seen it.
        await update_report_if(
            session, case_id=report.id, when={"acknowledged_at": None}, values=ack
        )
    return changed


def _action_values(
    action: CaseAction, actor: str, now: datetime, outcome_enc: str | None
) -> tuple[dict[str, object], dict[str, object]]:
    if action == CaseAction.TAKE:
        values: dict[str, object] = {
            "owner_id": actor,
            "owned_at": now,
            "status": CaseStatus.IN_PROGRESS,
        }
        return values, {"owner_id": None, "resolved_at": None}
    if action == CaseAction.ESCALATE:
        return {"escalated_at": now, "escalated_by": actor}, {"escalated_at": None}
    values = {
        "resolved_at": now,
        "resolved_by": actor,
        "status": CaseStatus.RESOLVED,
        "outcome_enc": outcome_enc,
    }
    return values, {"resolved_at": None}


async def _after_change(
    svc: Services,
    session: AsyncSession,
    case_id: int,
    actor: str,
    action: CaseAction,
    now: datetime,
) -> None:
    await add_audit(session, at=now, actor_id=actor, action=f"case.{action}", case_id=case_id)
    await enqueue_message(
        session,
        now=now,
        kind=ALERT_UPDATE,
        channel=svc.settings.supervisor_channel,
        case_id=case_id,
        coalesce_key=f"alert:{case_id}",
    )
    values: dict[str, object] = {"user": actor}
    if action == CaseAction.SNOOZE:
        values["until"] = svc.clock.local(now + timedelta(days=1)).strftime("%m/%d %H:%M")
    await enqueue_message(
        session,
        now=now,
        kind=THREAD,
        channel=svc.settings.supervisor_channel,
        case_id=case_id,
        message=svc.renderer.text(svc.catalog.t(f"thread.{action}", **values)),
    )
    if action != CaseAction.SNOOZE:  # a snooze postpones reminders; it does not answer them
        await cancel_followups(session, case_id=case_id, kinds=followups.UNACKED_KINDS)
    await _tell_reporter(svc, session, case_id, actor, action, now)
    if action == CaseAction.TAKE:
        followups.plan_stale(session, case_id, now, svc.settings, svc.clock)
    if action == CaseAction.RESOLVE:
        await cancel_followups(session, case_id=case_id)


async def _tell_reporter(
    svc: Services,
    session: AsyncSession,
    case_id: int,
    actor: str,
    action: CaseAction,
    now: datetime,
) -> None:
    """The receipt promised the reporter news when someone takes the case and when it ends."""
    if action not in (CaseAction.TAKE, CaseAction.RESOLVE):
        return
    report = await get_report(session, case_id=case_id)
    if report is None:
        return
    text = svc.catalog.t(f"dm.status_{action}", case_number=report.case_number, user=actor)
    await enqueue_message(
        session,
        now=now,
        kind=STAFF_DM,
        channel=report.reporter_id,
        case_id=case_id,
        message=svc.renderer.text(text),
    )


async def audit_view(svc: Services, *, case_id: int, actor: str, where: str) -> CaseView | None:
    """Load a case for a person to read, and record that they did."""
    async with svc.sessions.begin() as session:
        report = await get_report(session, case_id=case_id)
        if report is None:
            return None
        await add_audit(
            session,
            at=svc.clock.now(),
            actor_id=actor,
            action="case.viewed",
            case_id=case_id,
            detail={"where": where},
        )
        return to_view(svc, report)


async def reports_of(svc: Services, reporter_id: str, limit: int = 10) -> list[CaseView]:
    """A staff member's own reports, and nobody else's."""
    async with svc.sessions.begin() as session:
        found = await reports_by_reporter(session, reporter_id=reporter_id, limit=limit)
        return [to_view(svc, r) for r in found]


async def acknowledge_by_reply(svc: Services, *, thread_ts: str, user: str) -> bool:
    """A supervisor's first reply under an alert means they have seen it."""
    async with svc.sessions.begin() as session:
        report = await report_by_alert(
            session, channel=svc.settings.supervisor_channel, ts=thread_ts
        )
    if report is None or report.id is None or report.acknowledged_at is not None:
        return False
    if not await svc.is_member(svc.settings.supervisor_channel, user):
        return False
    result = await perform(svc, case_id=report.id, actor=user, action=CaseAction.ACK)
    return result.changed
