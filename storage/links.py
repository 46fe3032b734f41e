"""Reports about the same customer, found by the keyed hash of the customer key."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import and_, exists, func
from sqlalchemy.orm import aliased
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Report


async def earlier_reports(
    session: AsyncSession, *, hashes: Sequence[str], before_id: int, limit: int
) -> tuple[int, Sequence[Any]]:
    """(how many, the newest `limit` of them) of the reports received before report
    `before_id` whose key hash is one of `hashes`. Rows: case_number, created_at, status,
    escalated_at. Purged reports have no hash and are never found."""
    if not hashes:
        return 0, []
    where = (col(Report.customer_key_hash).in_(list(hashes))) & (col(Report.id) < before_id)
    total = (await session.exec(select(func.count()).select_from(Report).where(where))).one()
    stmt = (
        select(
            col(Report.case_number),
            col(Report.created_at),
            col(Report.status),
            col(Report.escalated_at),
        )
        .where(where)
        .order_by(col(Report.id).desc())
        .limit(limit)
    )
    return int(total), (await session.exec(stmt)).all()


async def repeat_reports(session: AsyncSession, *, start: datetime, end: datetime) -> int:
    """How many reports received in [start, end) are about a customer with an earlier
    report: a count only, for HR's aggregates."""
    earlier = aliased(Report)
    has_earlier = exists().where(
        and_(
            col(earlier.customer_key_hash) == col(Report.customer_key_hash),
            col(earlier.id) < col(Report.id),
        )
    )
    stmt = (
        select(func.count())
        .select_from(Report)
        .where(col(Report.created_at) >= start)
        .where(col(Report.created_at) < end)
        .where(col(Report.customer_key_hash).is_not(None))
        .where(has_earlier)
    )
    return int((await session.exec(stmt)).one())
