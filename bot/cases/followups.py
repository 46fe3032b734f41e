"""Follow-up rows: planned when a case is created, cancelled as supervisors act."""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import Clock
from bot.config import Settings
from storage.followups import add_followup
from storage.models import Report

REMINDER = "reminder"
ESCALATION = "escalation"
CHECKIN = "checkin"
STALE = "stale"
UNACKED_KINDS = (REMINDER, ESCALATION)


def timings(settings: Settings, urgent: bool) -> tuple[int, int]:
    """Reminder and escalation delays in seconds, frozen on the case when it is created."""
    if urgent:
        return settings.urgent_reminder_minutes * 60, settings.urgent_escalate_minutes * 60
    return settings.reminder_minutes * 60, settings.escalate_minutes * 60


def plan_new_case(session: AsyncSession, report: Report, settings: Settings, clock: Clock) -> None:
    assert report.id is not None
    created = report.created_at
    rows = [
        (REMINDER, created + timedelta(seconds=report.reminder_after_s)),
        (ESCALATION, created + timedelta(seconds=report.escalate_after_s)),
    ]
    rows += [
        (CHECKIN, clock.outside_quiet_hours(created + timedelta(days=d)))
        for d in settings.checkin_days
    ]
    for kind, due in rows:
        add_followup(session, case_id=report.id, kind=kind, due_at=due)


def stale_due(since: datetime, settings: Settings, clock: Clock) -> datetime:
    """When a case left alone since `since` counts as stale: KASUHARA_STALE_BUSINESS_DAYS
    business days later (weekends and holidays do not count; see Clock.add_business_days)."""
    return clock.add_business_days(since, settings.stale_business_days)


def plan_stale(
    session: AsyncSession, case_id: int, since: datetime, settings: Settings, clock: Clock
) -> None:
    due = stale_due(since, settings, clock)
    add_followup(session, case_id=case_id, kind=STALE, due_at=due)
