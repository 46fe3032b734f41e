"""What a held or deleted alert means for the people waiting on it.

When an alert cannot be posted (the channel, the token, the data key), the reporter's receipt
says so, the escalation contacts get a DM naming the case and the cause, a structured log line
is written, and /healthz and `kasuhara-bot check` name it. When it is finally posted, everyone
who was told it was not is told it now is. A deleted alert is posted again with its history.
"""

from __future__ import annotations

import json
import logging
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.domain import CaseView
from bot.delivery.context import Delivery
from bot.delivery.errors import CHANNEL_HOLDS, TOKEN_HOLDS, USER_HOLDS, Verdict
from bot.delivery.kinds import ALERT, ALERT_PART, ALERT_UPDATE, DM, RECEIPT, THREAD
from bot.delivery.signals import Deferred
from bot.delivery.slack_io import dumps
from bot.messages import Catalog
from storage import outbox as rows
from storage.db import Sessions
from storage.models import OutboxMessage, OutboxStatus, Report
from storage.reports import clear_alert_ref, get_report

log = logging.getLogger("kasuhara.delivery")
REPORTER, ESCALATION = "r", "e"
AFTER_ALERT = (RECEIPT, ALERT_PART, ALERT_UPDATE, THREAD)  # rows that wait for the alert
# Slack's channel errors as the channel verdicts `kasuhara-bot check` already words.
CHANNEL_REASONS = {
    "is_archived": "archived",
    "channel_is_archived": "archived",
    "channel_not_found": "not_found",
    "not_in_channel": "not_member",
}


def cause_text(cat: Catalog, code: str) -> str:
    """A person's words for a hold's code (catalogue `check.*` and `hold.*`)."""
    if cat.has(f"hold.{code}"):  # a code with a remedy of its own
        return cat.t(f"hold.{code}")
    if code in CHANNEL_REASONS or code in CHANNEL_HOLDS:
        reason = CHANNEL_REASONS.get(code, code)
        key = f"check.{reason}"
        return cat.t(key) if cat.has(key) else cat.t("hold.channel", code=code)
    if code in TOKEN_HOLDS:
        return cat.t("hold.token", code=code)
    if code in USER_HOLDS:
        return cat.t("hold.user", code=code)
    if code == "data_key":
        return cat.t("hold.data_key")
    return cat.t("hold.other", code=code)


async def _enqueue(
    session: AsyncSession, ctx: Delivery, kind: str, channel: str, case_id: int | None, text: str
) -> None:
    await rows.enqueue(
        session,
        now=ctx.clock.now(),
        kind=kind,
        channel=channel,
        case_id=case_id,
        payload=dumps(ctx.renderer.text(text)),
    )


async def on_first_hold(
    ctx: Delivery, session: AsyncSession, row: OutboxMessage, verdict: Verdict
) -> None:
    """The row has just started waiting for a fix. Logged always (key=value, for monitoring);
    for an alert, the escalation contacts are told which case waits and why."""
    report = await get_report(session, case_id=row.case_id) if row.case_id else None
    log.error(
        "delivery held event=delivery_held kind=%s channel=%s cause=%s code=%s case=%s",
        row.kind,
        row.channel or "-",
        verdict.cause,
        verdict.code,
        report.case_number if report else "-",
    )
    unreachable = verdict.cause == "user" or verdict.code == "messages_tab_disabled"
    if row.kind == DM and unreachable and report is not None:
        await _escalate_in_thread(ctx, session, row, report, verdict)
    if row.kind != ALERT or report is None or report.id is None:
        return
    await rows.wake(session, case_id=report.id, kinds=[RECEIPT], now=ctx.clock.now())
    if ESCALATION in report.alert_delay_notice:  # held again after a retry: told already
        return
    text = ctx.catalog.t(
        "escalation.alert_held",
        case_number=report.case_number,
        channel=row.channel,
        cause=cause_text(ctx.catalog, verdict.code),
    )
    for user in ctx.rules.escalation_users:
        await _enqueue(session, ctx, DM, user, report.id, text)
    if ctx.rules.escalation_users:
        _note(report, ESCALATION)
        session.add(report)


async def _escalate_in_thread(
    ctx: Delivery, session: AsyncSession, row: OutboxMessage, report: Report, verdict: Verdict
) -> None:
    """An escalation contact cannot receive DMs (deactivated, no such id, or the app's
    Messages tab off): what was meant for them goes to the alert's thread, so the escalation
    reaches somebody."""
    if row.channel not in ctx.rules.escalation_users:
        return
    meant = str(json.loads(row.payload or "{}").get("text") or "")
    text = ctx.catalog.t(
        "thread.escalation_unreachable",
        user=row.channel,
        cause=cause_text(ctx.catalog, verdict.code),
    )
    channel = ctx.rules.supervisor_channel
    await _enqueue(session, ctx, THREAD, channel, report.id, f"{text}\n{meant}"[:3000])


def _note(report: Report, who: str) -> None:
    if who not in report.alert_delay_notice:
        report.alert_delay_notice += who


async def receipt_form(ctx: Delivery, case: CaseView) -> bool:
    """True when the receipt may say the supervisors were reached; False when the alert is
    held, or still not posted after KASUHARA_RECEIPT_WAIT_SECONDS. Raises Deferred while
    the alert may still go out soon."""
    if case.alert_ts:
        return True
    now = ctx.clock.now()
    patience = case.created_at + ctx.rules.receipt_wait
    async with ctx.sessions.begin() as session:
        alerts = await rows.rows_of_case(session, case_id=case.id, kinds=[ALERT])
    held = any((r.last_error or "").startswith(rows.HOLD_PREFIX) for r in alerts)
    if not held and now < patience:
        # Woken when the alert is posted or held (on_alert_posted, on_first_hold); the
        # short poll covers an alert another instance was sending at that moment.
        raise Deferred(min(patience, now + timedelta(seconds=5)))
    return False


async def on_receipt_not_reached(session: AsyncSession, case_id: int) -> None:
    """The reporter has read "not reached yet": they hear when the alert is posted."""
    report = await get_report(session, case_id=case_id)
    if report is not None:
        _note(report, REPORTER)
        session.add(report)


async def on_alert_posted(ctx: Delivery, session: AsyncSession, row: OutboxMessage) -> bool:
    """The alert is in the channel at last: tell whoever was told it was not. True when
    messages were queued."""
    report = await get_report(session, case_id=row.case_id or 0)
    if report is None:
        return False
    woken = await rows.wake(
        session, case_id=row.case_id or 0, kinds=AFTER_ALERT, now=ctx.clock.now()
    )
    if not report.alert_delay_notice:
        return woken > 0
    told, cat = report.alert_delay_notice, ctx.catalog
    if REPORTER in told:
        text = cat.t("dm.alert_posted", case_number=report.case_number)
        await _enqueue(session, ctx, DM, report.reporter_id, report.id, text)
    if ESCALATION in told:
        text = cat.t("escalation.alert_posted", case_number=report.case_number)
        for user in ctx.rules.escalation_users:
            await _enqueue(session, ctx, DM, user, report.id, text)
    log.info("delivery released event=delivery_released case=%s", report.case_number)
    report.alert_delay_notice = ""
    session.add(report)
    return True


async def repost_deleted_alert(
    ctx: Delivery,
    session: AsyncSession,
    *,
    case_id: int,
    actor: str | None = None,
    deleted_ts: str | None = None,
) -> None:
    """Someone deleted the alert (Slack's message_deleted event, or chat.update answering
    message_not_found). Post it again, then its description parts and the history of its
    thread, and tell `actor` (the person whose click found it gone), if any. `deleted_ts`:
    the alert found gone; nothing is done when the case's alert is another one by now (it was
    reposted already, e.g. on the deletion event, while the edit was on its way)."""
    report = await get_report(session, case_id=case_id)
    if report is None or report.alert_channel is None:
        return
    if deleted_ts is not None and report.alert_ts != deleted_ts:
        return
    old = await rows.rows_of_case(session, case_id=case_id, kinds=[ALERT_PART, THREAD])
    await clear_alert_ref(session, case_id=case_id)
    now, channel = ctx.clock.now(), ctx.rules.supervisor_channel
    await rows.enqueue(session, now=now, kind=ALERT, channel=channel, case_id=case_id)
    lines = [ctx.catalog.t("thread.reposted")]
    for earlier in old:
        if earlier.kind == ALERT_PART and earlier.status != OutboxStatus.CANCELLED:
            await rows.enqueue(
                session,
                now=now,
                kind=ALERT_PART,
                channel=channel,
                case_id=case_id,
                payload=earlier.payload,
            )
        elif earlier.kind == THREAD and earlier.status == OutboxStatus.SENT:
            text = str(json.loads(earlier.payload or "{}").get("text") or "")
            lines += [text] if text else []
    await _enqueue(session, ctx, THREAD, channel, case_id, "\n".join(lines)[:3000])
    if actor:
        text = ctx.catalog.t("actions.alert_reposted", case_number=report.case_number)
        await _enqueue(session, ctx, DM, actor, case_id, text)
    log.warning("alert deleted in Slack event=alert_reposted case=%s", report.case_number)


async def health(sessions: Sessions) -> list[str]:
    """Reasons delivery is degraded, one line each, for /healthz and `check`: held rows by
    kind, channel and cause, and rows whose safe form Slack refused too."""
    async with sessions.begin() as session:
        found = await rows.held(session)
        failed = await rows.count_failed(session)
    reasons = [
        f"{h.count} {h.kind} held for {h.channel or '-'}: {h.code} "
        f"since {h.since.isoformat(timespec='seconds')}"
        for h in found
    ]
    if failed:
        reasons.append(f"{failed} messages failed")
    return reasons
