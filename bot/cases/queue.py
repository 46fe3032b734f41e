"""The supervisors' queue on the app's Home: every open case in one order of urgency.

Groups, most urgent first: not yet acknowledged (urgent ones first, then oldest first),
stale (no activity for KASUHARA_STALE_BUSINESS_DAYS business days, the rule the stale reminder
uses), held by the viewer, then the others by holder (unheld first). The queue is paged: a
page is what fits the Home's 100 blocks beside the other parts; the rest is counted.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import replace
from datetime import datetime

from bot.cases.domain import parse_numbers
from bot.cases.followups import stale_due
from bot.cases.home_types import PAGE_SIZE, Group, QueueLine, QueuePage
from bot.clock import as_utc
from bot.delivery.errors import FAILURES
from bot.services import Services
from storage.home import OpenCase, count_open_reports, open_reports

QUEUE_MAX = 1000  # open cases read at most; beyond that the total is still counted
PERMALINK_CONCURRENCY = 4
log = logging.getLogger("kasuhara.home")


def last_activity(report: OpenCase) -> datetime:
    moments = [report.created_at, report.acknowledged_at, report.owned_at, report.escalated_at]
    return max(as_utc(m) for m in moments if m is not None)


def classify(svc: Services, report: OpenCase, viewer: str, now: datetime) -> Group:
    if report.acknowledged_at is None:
        return Group.UNACKED
    if stale_due(last_activity(report), svc.settings, svc.clock) <= now:
        return Group.STALE
    if report.owner_id == viewer:
        return Group.MINE
    return Group.OTHERS


def _line(report: OpenCase, group: Group) -> QueueLine:
    return QueueLine(
        id=report.id,
        case_number=report.case_number,
        behaviours=parse_numbers(report.behaviours),
        suggested_behaviours=parse_numbers(report.suggested_behaviours),
        urgent=report.urgent,
        created_at=as_utc(report.created_at),
        status=report.status,
        acknowledged=report.acknowledged_at is not None,
        owner_id=report.owner_id,
        group=group,
    )


def _order(line: QueueLine) -> tuple[int, bool, str, datetime]:
    """Group, then urgent before not urgent among the unacknowledged (a page cut must not
    hide an urgent case behind older ones), then holder among the others, then oldest."""
    groups = list(Group)
    later = line.group == Group.UNACKED and not line.urgent
    holder = (line.owner_id or "") if line.group == Group.OTHERS else ""
    return groups.index(line.group), later, holder, line.created_at


async def supervisor_queue(svc: Services, viewer: str, page: int) -> QueuePage:
    """The viewer's queue at `page`, with links to the alerts of the lines shown."""
    now = svc.clock.now()
    async with svc.sessions() as session:
        reports = await open_reports(session, limit=QUEUE_MAX)
        total = await count_open_reports(session)
    lines = sorted((_line(r, classify(svc, r, viewer, now)) for r in reports), key=_order)
    refs = {r.id: (r.alert_channel, r.alert_ts) for r in reports}
    pages = max(1, -(-len(lines) // PAGE_SIZE))
    page = min(max(page, 0), pages - 1)
    shown = lines[page * PAGE_SIZE : (page + 1) * PAGE_SIZE]
    counts = {g: sum(1 for line in lines if line.group == g) for g in Group}
    held = sum(1 for line in lines if line.owner_id == viewer)
    linked = await _with_permalinks(svc, shown, refs)
    return QueuePage(tuple(linked), counts, held, total, page, pages, now)


async def _with_permalinks(
    svc: Services, lines: list[QueueLine], refs: dict[int, tuple[str | None, str | None]]
) -> list[QueueLine]:
    """chat.getPermalink for each line's alert (the gateway caches them: they never change).
    A line whose alert is not posted yet, or whose link Slack refuses, is shown unlinked."""
    gate = asyncio.Semaphore(PERMALINK_CONCURRENCY)

    async def link(line: QueueLine) -> QueueLine:
        channel, ts = refs.get(line.id, (None, None))
        if not channel or not ts:
            return line
        async with gate:
            try:
                url = await svc.gateway.permalink(channel, ts)
            except FAILURES as exc:
                log.warning("no link to the alert of case=%s: %s", line.id, type(exc).__name__)
                return line
        return replace(line, permalink=url)

    return list(await asyncio.gather(*(link(line) for line in lines)))
