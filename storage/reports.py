"""Queries on reports and their case numbers. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import insert, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import CaseCounter, Report
from storage.upsert import upsert


async def next_case_seq(session: AsyncSession, *, year: int) -> int:
    """Take the next number of `year` under the row lock of its counter (no gaps, no races):
    one upsert, so one round trip on the path to the reporter's acknowledgement. The first
    report of a year creates its counter at 1."""
    bump = (
        upsert(session, CaseCounter)
        .values(year=year, last_seq=1)
        .on_conflict_do_update(
            index_elements=[col(CaseCounter.year)],
            set_={"last_seq": CaseCounter.last_seq + 1},
        )
        .returning(col(CaseCounter.last_seq))
    )
    return int((await session.exec(bump)).scalar_one())


async def add_report(session: AsyncSession, report: Report) -> Report:
    session.add(report)
    await session.flush()
    return report


async def get_report(session: AsyncSession, *, case_id: int) -> Report | None:
    return await session.get(Report, case_id)


async def get_report_by_number(session: AsyncSession, *, case_number: str) -> Report | None:
    stmt = select(Report).where(Report.case_number == case_number)
    return (await session.exec(stmt)).first()


async def update_report_if(
    session: AsyncSession, *, case_id: int, when: dict[str, Any], values: dict[str, Any]
) -> bool:
    """Change a report only when it is still in the state `when` names: the first click wins."""
    stmt = update(Report).where(col(Report.id) == case_id).values(**values)
    for name, expected in when.items():
        column = getattr(Report, name)
        stmt = stmt.where(column.is_(None) if expected is None else column == expected)
    result = await session.exec(stmt)
    return bool(result.rowcount)


async def reports_by_reporter(
    session: AsyncSession, *, reporter_id: str, limit: int = 10
) -> Sequence[Report]:
    stmt = (
        select(Report)
        .where(Report.reporter_id == reporter_id)
        .order_by(col(Report.id).desc())
        .limit(limit)
    )
    return (await session.exec(stmt)).all()


async def set_alert_ref(session: AsyncSession, *, case_id: int, channel: str, ts: str) -> None:
    await session.exec(
        update(Report).where(col(Report.id) == case_id).values(alert_channel=channel, alert_ts=ts)
    )


async def clear_alert_ref(session: AsyncSession, *, case_id: int) -> None:
    """Forget a deleted alert, so the next alert row posts a new one."""
    await session.exec(update(Report).where(col(Report.id) == case_id).values(alert_ts=None))


async def report_by_view(session: AsyncSession, *, view_id: str) -> Report | None:
    stmt = select(Report).where(Report.view_id == view_id)
    return (await session.exec(stmt)).first()


async def report_by_alert(session: AsyncSession, *, channel: str, ts: str) -> Report | None:
    stmt = select(Report).where(Report.alert_channel == channel, Report.alert_ts == ts)
    return (await session.exec(stmt)).first()


async def bulk_insert_reports(session: AsyncSession, rows: list[dict[str, Any]]) -> None:
    """For benchmarks and seeding: many rows in one statement."""
    await session.exec(insert(Report), params=rows)


def created_between(start: datetime, end: datetime) -> Any:
    return (col(Report.created_at) >= start) & (col(Report.created_at) < end)
