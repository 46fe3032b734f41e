"""The weekly digest's figures, computed in SQL, and the once-a-week claim.

All bounds are aware UTC datetimes (SQLite stores naive UTC text, so a local time would
compare wrongly). Every query runs on SQLite and PostgreSQL alike; callers own the transaction.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import ColumnElement, case, func, literal, or_, select, true, union_all, update
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import DigestRun, FollowUp, Report
from storage.upsert import dialect_name, upsert


@dataclass(frozen=True)
class WeekCounts:
    total: int
    urgent: int
    unclassified: int  # neither chosen nor suggested behaviours
    chosen: tuple[int, ...]  # index 0 is behaviour ①
    suggested: tuple[int, ...]


@dataclass(frozen=True)
class AckStats:
    count: int
    median_seconds: float | None
    slowest_seconds: float | None


@dataclass(frozen=True)
class OpenCases:
    by_age: tuple[int, ...]  # one count per age band, youngest first
    unacknowledged: int


async def _rows(session: AsyncSession, stmt: Any) -> Sequence[Any]:
    result: Sequence[Any] = (await session.exec(stmt)).all()
    return result


def _in(column: Any, start: datetime, end: datetime) -> ColumnElement[bool]:
    return (col(column) >= start) & (col(column) < end)


def _has(column: Any, number: int) -> Any:
    # The list is "1,4,13": wrapping it in commas makes ",1," unable to match ",13,".
    padded = literal(",") + col(column) + literal(",")
    return func.sum(case((padded.like(f"%,{number},%"), 1), else_=0))


async def week_counts(
    session: AsyncSession, *, start: datetime, end: datetime, behaviours: int
) -> WeekCounts:
    """Totals and per-behaviour counts of the reports received in [start, end), in one scan;
    behaviours ①..(`behaviours`), as many as the policy defines (the caller knows it)."""
    numbers = range(1, behaviours + 1)
    unclassified = (col(Report.behaviours) == "") & (col(Report.suggested_behaviours) == "")
    stmt = select(
        func.count(),
        func.coalesce(func.sum(case((col(Report.urgent) == true(), 1), else_=0)), 0),
        func.coalesce(func.sum(case((unclassified, 1), else_=0)), 0),
        *(_has(Report.behaviours, n) for n in numbers),
        *(_has(Report.suggested_behaviours, n) for n in numbers),
    ).where(_in(Report.created_at, start, end))
    row = [int(v or 0) for v in (await _rows(session, stmt))[0]]
    size = len(numbers)
    return WeekCounts(row[0], row[1], row[2], tuple(row[3 : 3 + size]), tuple(row[3 + size :]))


async def counts_by_channel(
    session: AsyncSession, *, start: datetime, end: datetime
) -> dict[str, int]:
    stmt = (
        select(col(Report.contact_channel), func.count())
        .where(_in(Report.created_at, start, end))
        .group_by(col(Report.contact_channel))
    )
    return {str(channel): int(n) for channel, n in await _rows(session, stmt)}


def _bucket(column: Any, edges: Sequence[datetime]) -> Any:
    """Which interval of `edges` a time falls in (0 for the first), as a SQL CASE."""
    whens = [(col(column) < edge, i) for i, edge in enumerate(edges[1:-1])]
    return case(*whens, else_=len(edges) - 2) if whens else literal(0)


async def counts_per_interval(session: AsyncSession, *, edges: Sequence[datetime]) -> list[int]:
    """Reports received in each [edges[i], edges[i+1]): the trend, in one GROUP BY."""
    # Grouping on a subquery column: PostgreSQL would not match a CASE with bound
    # parameters in SELECT to the same CASE in GROUP BY.
    inner = (
        select(_bucket(Report.created_at, edges).label("bucket"))
        .where(_in(Report.created_at, edges[0], edges[-1]))
        .subquery()
    )
    stmt = select(inner.c.bucket, func.count()).group_by(inner.c.bucket)
    counts = [0] * (len(edges) - 1)
    for bucket, n in await _rows(session, stmt):
        counts[int(bucket)] = int(n)
    return counts


def _seconds(session: AsyncSession, later: Any, earlier: Any) -> Any:
    if dialect_name(session) == "postgresql":
        return func.extract("epoch", col(later) - col(earlier))
    return (func.julianday(col(later)) - func.julianday(col(earlier))) * 86400.0


async def ack_stats(session: AsyncSession, *, start: datetime, end: datetime) -> AckStats:
    """Time from report to acknowledgement, over the acknowledgements made in [start, end)."""
    took = _seconds(session, Report.acknowledged_at, Report.created_at)
    where = _in(Report.acknowledged_at, start, end)
    count, slowest = (await _rows(session, select(func.count(), func.max(took)).where(where)))[0]
    if not count:
        return AckStats(0, None, None)
    # The median without percentile_cont (which SQLite lacks): the middle one or two of the
    # sorted durations, fetched with OFFSET so only they leave the database.
    middle = select(took).where(where).order_by(took).offset((count - 1) // 2)
    values = [float(v) for (v,) in await _rows(session, middle.limit(2 - count % 2))]
    # julianday() arithmetic leaves float noise of a few microseconds; milliseconds are plenty.
    return AckStats(int(count), round(sum(values) / len(values), 3), round(float(slowest), 3))


def _open_at(as_of: datetime) -> Any:
    """Reports received before `as_of` and not resolved by then.

    Two branches rather than one OR, so each walks the (resolved_at, created_at) index: the
    never-resolved ones, and the few resolved later. An OR made SQLite scan every report.
    """
    columns = (col(Report.created_at), col(Report.acknowledged_at))
    before = col(Report.created_at) < as_of
    unresolved = select(*columns).where(col(Report.resolved_at).is_(None), before)
    resolved_later = select(*columns).where(col(Report.resolved_at) >= as_of, before)
    return union_all(unresolved, resolved_later).subquery()


async def open_cases(
    session: AsyncSession, *, as_of: datetime, age_edges: Sequence[timedelta]
) -> OpenCases:
    """Cases open at `as_of`, by age; bands split at `age_edges` (e.g. 1, 3, 7 days)."""
    opened = _open_at(as_of)
    band = case(
        *((opened.c.created_at > as_of - edge, i) for i, edge in enumerate(age_edges)),
        else_=len(age_edges),
    )
    unacked = or_(opened.c.acknowledged_at.is_(None), opened.c.acknowledged_at >= as_of)
    inner = select(band.label("band"), case((unacked, 1), else_=0).label("unacked")).subquery()
    stmt = select(inner.c.band, func.count(), func.sum(inner.c.unacked)).group_by(inner.c.band)
    by_age = [0] * (len(age_edges) + 1)
    unacknowledged = 0
    for index, n, unack in await _rows(session, stmt):
        by_age[int(index)] = int(n)
        unacknowledged += int(unack or 0)
    return OpenCases(tuple(by_age), unacknowledged)


async def escalations(session: AsyncSession, *, start: datetime, end: datetime) -> int:
    stmt = select(func.count()).where(_in(Report.escalated_at, start, end))
    return int((await _rows(session, stmt))[0][0])


async def help_checkins(session: AsyncSession, *, start: datetime, end: datetime) -> int:
    """Wellbeing check-ins answered "相談したい" in [start, end)."""
    stmt = select(func.count()).where(
        col(FollowUp.kind) == "checkin",
        col(FollowUp.response) == "help",
        _in(FollowUp.responded_at, start, end),
    )
    return int((await _rows(session, stmt))[0][0])


async def week_cases(session: AsyncSession, *, start: datetime, end: datetime) -> Sequence[Any]:
    """The structured columns of the reports received in [start, end); no free text."""
    stmt = (
        select(
            col(Report.case_number),
            col(Report.created_at),
            col(Report.occurred_at),
            col(Report.contact_channel),
            col(Report.behaviours),
            col(Report.suggested_behaviours),
            col(Report.urgent),
            col(Report.support),
            col(Report.status),
            col(Report.acknowledged_at),
            col(Report.escalated_at),
            col(Report.resolved_at),
        )
        .where(_in(Report.created_at, start, end))
        .order_by(col(Report.created_at), col(Report.id))
    )
    return await _rows(session, stmt)


async def claim_week(session: AsyncSession, *, week: str, now: datetime, worker: str) -> bool:
    """Take the week's digest; False when another instance already has it.

    ON CONFLICT DO NOTHING rather than catching the unique violation, so the caller's
    transaction stays usable; on PostgreSQL a racing insert waits for the first to commit.
    """
    stmt = (
        upsert(session, DigestRun)
        .values(week=week, claimed_at=now, claimed_by=worker)
        .on_conflict_do_nothing(index_elements=["week"])
        .returning(col(DigestRun.week))
    )
    return bool(await _rows(session, stmt))


async def mark_sent(session: AsyncSession, *, week: str, now: datetime) -> None:
    stmt = update(DigestRun).where(col(DigestRun.week) == week).values(sent_at=now)
    await session.exec(stmt)


async def digest_run(session: AsyncSession, *, week: str) -> DigestRun | None:
    return await session.get(DigestRun, week)
