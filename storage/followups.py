"""Follow-up rows: durable reminders, escalations and check-ins with due times."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import FollowUp


def add_followup(session: AsyncSession, *, case_id: int, kind: str, due_at: datetime) -> None:
    session.add(FollowUp(case_id=case_id, kind=kind, due_at=due_at))


async def cancel_followups(
    session: AsyncSession, *, case_id: int, kinds: tuple[str, ...] | None = None
) -> int:
    stmt = (
        update(FollowUp)
        .where(col(FollowUp.case_id) == case_id)
        .where(col(FollowUp.status) == "pending")
        .values(status="cancelled")
    )
    if kinds is not None:
        stmt = stmt.where(col(FollowUp.kind).in_(kinds))
    return int((await session.exec(stmt)).rowcount)


async def claim_due_followups(
    session: AsyncSession, *, now: datetime, worker: str, limit: int
) -> list[FollowUp]:
    """Claim due rows; the caller enqueues their messages in the same transaction, so each
    follow-up becomes exactly one outbox message even with several instances."""
    stmt = (
        select(FollowUp)
        .where(col(FollowUp.status) == "pending")
        .where(col(FollowUp.due_at) <= now)
        .order_by(col(FollowUp.due_at), col(FollowUp.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = list((await session.exec(stmt)).all())
    for row in rows:
        row.status = "sent"
        row.claimed_by = worker
        row.sent_at = now
        session.add(row)
    return rows


async def postpone_followup(session: AsyncSession, *, followup_id: int, due_at: datetime) -> None:
    await session.exec(
        update(FollowUp)
        .where(col(FollowUp.id) == followup_id)
        .values(status="pending", due_at=due_at, claimed_by=None, sent_at=None)
    )


async def record_checkin_answer(
    session: AsyncSession, *, followup_id: int, response: str, now: datetime
) -> FollowUp | None:
    """The first answer counts; a second click on the same check-in changes nothing."""
    stmt = (
        update(FollowUp)
        .where(col(FollowUp.id) == followup_id)
        .where(col(FollowUp.kind) == "checkin")
        .where(col(FollowUp.response).is_(None))
        .values(response=response, responded_at=now)
    )
    changed = bool((await session.exec(stmt)).rowcount)
    return await session.get(FollowUp, followup_id) if changed else None


async def get_followup(session: AsyncSession, *, followup_id: int) -> FollowUp | None:
    return await session.get(FollowUp, followup_id)
