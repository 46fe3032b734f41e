"""Home visits and the open cases a supervisors' queue lists. Callers own the transaction."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import datetime

from sqlalchemy import func
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import HomeVisit, Report
from storage.upsert import upsert


async def record_visit(
    session: AsyncSession, *, user: str, now: datetime, supervisor: bool, page: int | None = None
) -> int:
    """Upsert the visit; `page=None` keeps the page the person was reading. Returns the page."""
    values: dict[str, object] = {"opened_at": now, "supervisor": supervisor}
    if page is not None:
        values["page"] = page
    stmt = (
        upsert(session, HomeVisit)
        .values({"user_id": user, "page": 0} | values)
        .on_conflict_do_update(index_elements=["user_id"], set_=values)
        .returning(col(HomeVisit.page))
    )
    return int((await session.exec(stmt)).scalar_one())


async def visit_page(session: AsyncSession, *, user: str) -> int:
    visit = await session.get(HomeVisit, user)
    return visit.page if visit else 0


async def recent_supervisor_visitors(
    session: AsyncSession, *, since: datetime, limit: int
) -> Sequence[str]:
    """Supervisors who opened their Home at or after `since`, the most recent first."""
    stmt = (
        select(HomeVisit.user_id)
        .where(col(HomeVisit.opened_at) >= since, col(HomeVisit.supervisor).is_(True))
        .order_by(col(HomeVisit.opened_at).desc())
        .limit(limit)
    )
    return (await session.exec(stmt)).all()


async def visited_since(session: AsyncSession, *, user: str, since: datetime) -> bool:
    visit = await session.get(HomeVisit, user)
    return visit is not None and visit.opened_at >= since


@dataclass(frozen=True)
class OpenCase:
    """The columns of an open case the supervisors' queue reads: never its text."""

    id: int
    case_number: str
    behaviours: str
    suggested_behaviours: str
    urgent: bool
    created_at: datetime
    status: str
    acknowledged_at: datetime | None
    owner_id: str | None
    owned_at: datetime | None
    escalated_at: datetime | None
    alert_channel: str | None
    alert_ts: str | None


_OPEN_CASE_COLUMNS = tuple(getattr(Report, f.name) for f in fields(OpenCase))


async def open_reports(session: AsyncSession, *, limit: int) -> list[OpenCase]:
    """Cases not resolved yet, oldest first, at most `limit` of them (only the columns the
    queue shows: plain rows, not ORM objects, since a queue may hold hundreds)."""
    stmt = (
        select(*_OPEN_CASE_COLUMNS)
        .where(col(Report.resolved_at).is_(None))
        .order_by(col(Report.created_at), col(Report.id))
        .limit(limit)
    )
    return [OpenCase(*row) for row in (await session.exec(stmt)).all()]


async def count_open_reports(session: AsyncSession) -> int:
    stmt = select(func.count()).select_from(Report).where(col(Report.resolved_at).is_(None))
    return int((await session.exec(stmt)).one())
