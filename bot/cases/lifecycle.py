"""Supervisor actions on a case, and who may do what."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases import followups
from bot.cases.actions import (
    ACK,
    SNOOZE,
    SNOOZE_FOR,
    TAKE,
    CaseAction,
    Click,
    UnknownAction,
    action_named,
)
from bot.cases.domain import CaseView
from bot.cases.home_refresh import refresh_homes
from bot.cases.view import to_view
from bot.delivery import holds
from bot.delivery.idempotency import AlreadyHandled, claim
from bot.delivery.outbox import ALERT_UPDATE, STAFF_DM, THREAD, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.followups import cancel_followups
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


async def refuse(
    svc: Services,
    *,
    case_id: int | None,
    actor: str,
    action: str,
    reason: str | None = None,
    once: str | None = None,
) -> ActionResult:
    """Record a refused action and the notice the actor sees. Without `reason` the actor was
    not allowed; reason "unknown" marks an undeclared action. `once` is the delivery key,
    recorded with the audit (a replay raises AlreadyHandled)."""
    async with svc.sessions.begin() as session:
        await claim(session, once, svc.clock.now())
        detail: dict[str, object] = {"attempted": action}
        if reason:
            detail["reason"] = reason
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
    svc: Services,
    *,
    case_id: int,
    actor: str,
    action: str,
    outcome: str | None = None,
    once: str | None = None,
) -> ActionResult:
    """Apply a supervisor's click named `action` (see bot/cases/actions.py); only members of
    the supervisors' channel may act, and an undeclared action is refused and audited.
    `once`: the delivery key, recorded with the change (a replay raises AlreadyHandled)."""
    try:
        declared = action_named(action)
    except UnknownAction:
        log.error("undeclared case action %r", action)
        await refuse(svc, case_id=case_id, actor=actor, action=action, reason="unknown", once=once)
        return ActionResult(changed=False, notice_key="actions.unknown")
    if not await svc.is_member(svc.settings.supervisor_channel, actor):
        return await refuse(svc, case_id=case_id, actor=actor, action=action, once=once)
    click = Click(actor=actor, now=svc.clock.now(), outcome_enc=svc.cipher.encrypt(outcome))
    async with svc.sessions.begin() as session:
        await claim(session, once, click.now)
        report = await get_report(session, case_id=case_id)
        if report is None:
            return ActionResult(changed=False, notice_key="actions.case_missing")
        changed = await _transition(session, case_id, declared, click)
        if changed:
            await _after_change(svc, session, case_id, declared, click)
        await session.refresh(report)
        view = to_view(svc.cipher, report, tolerant=True)
    if changed:
        svc.deliverer.kick()
        return ActionResult(changed=True, case=view)
    return _unchanged(view, actor, declared)


def _unchanged(view: CaseView, actor: str, action: CaseAction) -> ActionResult:
    if action is TAKE and view.owner_id and view.owner_id != actor:
        return ActionResult(False, "actions.taken_by_other", {"user": view.owner_id}, view)
    return ActionResult(False, None, {}, view)


async def _transition(
    session: AsyncSession, case_id: int, action: CaseAction, click: Click
) -> bool:
    change = action.change(click)
    if not change.values:  # an action that only records itself
        return True
    changed = await update_report_if(
        session, case_id=case_id, when=dict(change.when), values=dict(change.values)
    )
    if changed and action.acknowledges:
        await update_report_if(
            session,
            case_id=case_id,
            when={"acknowledged_at": None},
            values={"acknowledged_at": click.now, "acknowledged_by": click.actor},
        )
    return changed


async def _after_change(
    svc: Services, session: AsyncSession, case_id: int, action: CaseAction, click: Click
) -> None:
    now, actor = click.now, click.actor
    await add_audit(session, at=now, actor_id=actor, action=f"case.{action}", case_id=case_id)
    await enqueue_message(
        session,
        now=now,
        kind=ALERT_UPDATE,
        channel=svc.settings.supervisor_channel,
        case_id=case_id,
        # Who clicked: told if the alert turns out to have been deleted (bot/delivery/holds).
        message={"actor": actor},
        coalesce_key=f"alert:{case_id}",
    )
    values: dict[str, object] = {"user": actor}
    if action is SNOOZE:
        values["until"] = svc.clock.local(now + SNOOZE_FOR).strftime("%m/%d %H:%M")
    await enqueue_message(
        session,
        now=now,
        kind=THREAD,
        channel=svc.settings.supervisor_channel,
        case_id=case_id,
        message=svc.renderer.text(svc.catalog.t(f"thread.{action}", **values)),
    )
    if action.answers_reminders:
        await cancel_followups(session, case_id=case_id, kinds=followups.UNACKED_KINDS)
    if action.tells_reporter:
        await _tell_reporter(svc, session, case_id, action, click)
    report = await get_report(session, case_id=case_id)
    await refresh_homes(session, now, reporter=report.reporter_id if report else None)
    if action.plans_stale_check:
        followups.plan_stale(session, case_id, now, svc.settings, svc.clock)
    if action.ends_case:
        await cancel_followups(session, case_id=case_id)


async def _tell_reporter(
    svc: Services, session: AsyncSession, case_id: int, action: CaseAction, click: Click
) -> None:
    """The receipt promised the reporter news when someone takes the case and when it ends."""
    report = await get_report(session, case_id=case_id)
    if report is None:
        return
    text = svc.catalog.t(f"dm.status_{action}", case_number=report.case_number, user=click.actor)
    await enqueue_message(
        session,
        now=click.now,
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
        return to_view(svc.cipher, report, tolerant=True)


async def reports_of(svc: Services, reporter_id: str, limit: int = 10) -> list[CaseView]:
    """A staff member's own reports, and nobody else's."""
    async with svc.sessions.begin() as session:
        found = await reports_by_reporter(session, reporter_id=reporter_id, limit=limit)
        return [to_view(svc.cipher, r, tolerant=True) for r in found]


async def alert_deleted(svc: Services, *, channel: str, ts: str, once: str | None) -> bool:
    """A message was deleted in `channel` (Slack's message_deleted event). When it was a
    case's alert, the alert is posted again with its history at once. `once`: the event's
    delivery key, recorded with the repost (a retried event finds it and does nothing)."""
    async with svc.sessions.begin() as session:
        report = await report_by_alert(session, channel=channel, ts=ts)
        if report is None or report.id is None:
            return False
        try:
            await claim(session, once, svc.clock.now())
        except AlreadyHandled:
            return False
        await holds.repost_deleted_alert(svc.deliverer.ctx, session, case_id=report.id)
    svc.deliverer.kick()
    return True


async def acknowledge_by_reply(
    svc: Services, *, thread_ts: str, user: str, once: str | None = None
) -> bool:
    """A supervisor's first reply under an alert means they have seen it. `once`: the event's
    delivery key, recorded only when the reply acknowledges (a retry raises AlreadyHandled)."""
    async with svc.sessions.begin() as session:
        report = await report_by_alert(
            session, channel=svc.settings.supervisor_channel, ts=thread_ts
        )
    if report is None or report.id is None or report.acknowledged_at is not None:
        return False
    if not await svc.is_member(svc.settings.supervisor_channel, user):
        return False
    result = await perform(svc, case_id=report.id, actor=user, action=ACK.name, once=once)
    return result.changed
