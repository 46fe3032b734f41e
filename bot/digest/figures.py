"""The digest's figures of an ISO week: aggregates only, each from one SQL query."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.domain import ContactChannel
from bot.digest.weeks import WeekSpan, iso_label, local_midnight
from bot.policy.document import PolicyDocument
from storage import digest_queries as q
from storage.links import repeat_reports

TREND_WEEKS = 8
AGE_EDGES = (timedelta(days=1), timedelta(days=3), timedelta(days=7))


@dataclass(frozen=True)
class TrendPoint:
    week: str
    monday: date
    count: int


@dataclass(frozen=True)
class DigestFigures:
    """Aggregates only: nothing here names a person or quotes a report."""

    week: str
    start: datetime  # local, Monday 00:00
    end: datetime  # local, the next Monday 00:00
    as_of: datetime  # local; the week's end, or now for the week in progress
    total: int
    previous: int
    urgent: int
    unclassified: int
    chosen: tuple[int, ...]  # ①..⑬
    suggested: tuple[int, ...]  # ①..⑬, "推定", only for reports without a choice
    by_channel: dict[str, int]
    ack_count: int
    ack_median_seconds: float | None
    ack_slowest_seconds: float | None
    open_by_age: tuple[int, ...]  # <1日, 1–3日, 3–7日, 7日以上
    open_unacknowledged: int
    escalations: int
    help_checkins: int
    trend: tuple[TrendPoint, ...]  # oldest first; the last is this week
    # Reports about a customer with an earlier report (linked by the customer key's hash):
    # a count, never which customer.
    repeat_customers: int = 0

    @property
    def complete(self) -> bool:
        return self.as_of >= self.end


def _trend_mondays(span: WeekSpan, zone: ZoneInfo) -> list[date]:
    monday = span.monday(zone)
    return [monday - timedelta(weeks=k) for k in range(TREND_WEEKS - 1, -1, -1)]


async def compute_figures(
    session: AsyncSession, span: WeekSpan, *, zone: ZoneInfo, now: datetime, behaviours: int
) -> DigestFigures:
    """Every figure of `span`, each from an SQL aggregate (no report rows are fetched);
    `behaviours` is how many the policy defines (behaviour_count)."""
    as_of = min(span.end, now.astimezone(UTC))
    mondays = _trend_mondays(span, zone)
    edges = [local_midnight(m, zone) for m in mondays] + [span.end]
    trend = await q.counts_per_interval(session, edges=edges)
    counts = await q.week_counts(session, start=span.start, end=span.end, behaviours=behaviours)
    ack = await q.ack_stats(session, start=span.start, end=span.end)
    opened = await q.open_cases(session, as_of=as_of, age_edges=AGE_EDGES)
    window = {"start": span.start, "end": span.end}
    return DigestFigures(
        week=span.week,
        start=span.start.astimezone(zone),
        end=span.end.astimezone(zone),
        as_of=as_of.astimezone(zone),
        total=counts.total,
        previous=trend[-2],
        urgent=counts.urgent,
        unclassified=counts.unclassified,
        chosen=counts.chosen,
        suggested=counts.suggested,
        by_channel=_with_all_channels(await q.counts_by_channel(session, **window)),
        ack_count=ack.count,
        ack_median_seconds=ack.median_seconds,
        ack_slowest_seconds=ack.slowest_seconds,
        open_by_age=opened.by_age,
        open_unacknowledged=opened.unacknowledged,
        escalations=await q.escalations(session, **window),
        help_checkins=await q.help_checkins(session, **window),
        trend=tuple(TrendPoint(iso_label(m), m, n) for m, n in zip(mondays, trend, strict=True)),
        repeat_customers=await repeat_reports(session, **window),
    )


def _with_all_channels(counts: dict[str, int]) -> dict[str, int]:
    known = {c.value: counts.get(c.value, 0) for c in ContactChannel}
    return known | {c: n for c, n in sorted(counts.items()) if c not in known}


def behaviour_labels(policy: PolicyDocument) -> dict[int, str]:
    return {p.behaviour: p.label or p.text for p in policy.behaviours() if p.behaviour}


def behaviour_count(policy: PolicyDocument) -> int:
    """How many numbered behaviours (①, ②, …) the policy defines: the digest counts each."""
    return max((p.behaviour for p in policy.behaviours() if p.behaviour), default=0)
