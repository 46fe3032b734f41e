"""Retention: how long report text is kept after a case is closed, and purging it.

A purge keeps the anonymous figures the digest counts (times, channel, behaviours, urgency,
status) and removes every encrypted column. Each purged case gets one audit event, and its
alert is re-rendered so the text also leaves the supervisors' channel.
"""

from __future__ import annotations

import calendar
import logging
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery.outbox import ALERT_UPDATE, enqueue_message
from bot.services import Services
from storage.audit import add_audit
from storage.db import Sessions
from storage.keys import ENCRYPTED_COLUMNS
from storage.models import Report
from storage.requests import forget_requests_before
from storage.retention import clear_report_text, forget_outbox_payloads, purgeable_reports

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # types only: loaded later

log = logging.getLogger("kasuhara.retention")

JOB_ID = "retention.purge"
RUN_AT = {"hour": 3, "minute": 30}  # local time: after the day's work, before the next
ACTOR = "system"
BATCH = 200
# Delivery keys only matter while Slack may retry (minutes), and a sent message's words are
# not needed once it is in Slack: keep both a month, however long cases are kept.
BOOKKEEPING = timedelta(days=30)
_AGE = re.compile(r"^\s*(\d{1,4})\s*([ymwd])\s*$")


@dataclass(frozen=True)
class Age:
    amount: int
    unit: str  # y, m, w or d

    def __str__(self) -> str:
        return f"{self.amount}{self.unit}"


@dataclass(frozen=True)
class PurgeResult:
    cases: int
    requests: int
    payloads: int
    resolved_before: datetime


def parse_age(text: str) -> Age:
    """`3y`, `18m`, `6w` or `90d`; zero is refused, it would purge cases as they close."""
    match = _AGE.match(text or "")
    if not match or int(match.group(1)) < 1:
        raise ValueError(f"{text!r} is not an age such as 3y, 18m, 6w or 90d")
    return Age(int(match.group(1)), match.group(2))


def _months_back(moment: datetime, months: int) -> datetime:
    index = moment.year * 12 + moment.month - 1 - months
    year, month = divmod(index, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def cutoff(now: datetime, age: Age, zone: ZoneInfo) -> datetime:
    """The instant `age` before `now`, counted in calendar years and months of the zone."""
    local = now.astimezone(zone)
    if age.unit in ("y", "m"):
        back = _months_back(local, age.amount * (12 if age.unit == "y" else 1))
    else:
        back = local - timedelta(days=age.amount * (7 if age.unit == "w" else 1))
    return back.astimezone(UTC)


def _present(report: Report) -> list[str]:
    """Which kinds of text a case held: names only, never the text."""
    return [name.removesuffix("_enc") for name in ENCRYPTED_COLUMNS if getattr(report, name)]


async def _record(
    session: AsyncSession, report: Report, removed: list[str], now: datetime, age: Age
) -> None:
    assert report.id is not None
    detail = {"older_than": str(age), "removed": removed}
    await add_audit(
        session, at=now, actor_id=ACTOR, action="report.purged", case_id=report.id, detail=detail
    )
    if report.alert_channel and report.alert_ts:
        await enqueue_message(
            session,
            now=now,
            kind=ALERT_UPDATE,
            channel=report.alert_channel,
            case_id=report.id,
            coalesce_key=f"alert:{report.id}",
        )


async def purge_closed_cases(
    sessions: Sessions, *, now: datetime, resolved_before: datetime, age: Age
) -> int:
    """Batch by batch, each in its own transaction; a second run finds nothing to do."""
    total = 0
    while True:
        async with sessions.begin() as session:
            found = await purgeable_reports(session, resolved_before=resolved_before, limit=BATCH)
            if not found:
                return total
            removed = [_present(r) for r in found]  # before the update empties the objects
            await clear_report_text(session, case_ids=[r.id for r in found if r.id], at=now)
            for report, names in zip(found, removed, strict=True):
                await _record(session, report, names, now, age)
        total += len(found)
        log.info("purged batch cases=%d total=%d", len(found), total)


async def purge(sessions: Sessions, *, now: datetime, age: Age, zone: ZoneInfo) -> PurgeResult:
    resolved_before = cutoff(now, age, zone)
    cases = await purge_closed_cases(sessions, now=now, resolved_before=resolved_before, age=age)
    bookkeeping_before = max(resolved_before, now - BOOKKEEPING)
    async with sessions.begin() as session:
        requests = await forget_requests_before(session, before=bookkeeping_before)
        payloads = await forget_outbox_payloads(session, before=bookkeeping_before)
    log.info("retention done cases=%d requests=%d payloads=%d", cases, requests, payloads)
    return PurgeResult(cases, requests, payloads, resolved_before)


async def run_retention(svc: Services) -> PurgeResult:
    """The daily job: the configured retention (KASUHARA_RETENTION), then send the edits."""
    result = await purge(
        svc.sessions,
        now=svc.clock.now(),
        age=parse_age(svc.settings.retention),
        zone=svc.clock.zone,
    )
    if result.cases:
        svc.deliverer.kick()
    return result


def schedule_retention(scheduler: AsyncIOScheduler, svc: Services) -> None:
    """Daily; with several instances each runs it, and locked rows are skipped, not doubled."""
    scheduler.add_job(
        run_retention,
        "cron",
        **RUN_AT,
        timezone=svc.settings.zone,
        args=[svc],
        id=JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=3600,
    )
