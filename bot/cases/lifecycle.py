"""Supervisor actions on a case, and who may do what."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases import followups
from bot.cases.domain import CaseAction, CaseView
from bot.cases.view import to_view
from bot.delivery.outbox import ALERT_UPDATE, STAFF_DM, THREAD, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.followups import cancel_followups
from storage.models import CaseStatus, Report
from storage.reports import (
    get_report,
    report_by_alert,
    reports_by_reporter,
    update_report_if,
)

log = logging.getLogger("kasuhara.cases")


@dataclass(frozen=True)
class ActionResult:
    changed: bool
    notice_key: str | None = None  # ephemeral to the actor, from the catalogue
    notice_values: dict[str, str] = field(default_factory=dict)
    case: CaseView | None = None


async def load_case(svc: Services, case_id: int) -> CaseView | None:
    async with svc.sessions.begin() as session:
        report = await get_report(session, case_id=case_id)
        return to_view(svc.cipher, report) if report else None


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
        view = to_view(svc.cipher, report)
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
        return to_view(svc.cipher, report)


async def reports_of(svc: Services, reporter_id: str, limit: int = 10) -> list[CaseView]:
    """A staff member's own reports, and nobody else's."""
    async with svc.sessions.begin() as session:
        found = await reports_by_reporter(session, reporter_id=reporter_id, limit=limit)
        return [to_view(svc.cipher, r) for r in found]


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
