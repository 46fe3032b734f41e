"""Outbox rows: written with the change that causes them, claimed by one deliverer at a time."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime, timedelta

from sqlalchemy import or_, update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import OutboxMessage, OutboxStatus


async def enqueue(
    session: AsyncSession,
    *,
    now: datetime,
    kind: str,
    channel: str = "",
    payload: str = "{}",
    case_id: int | None = None,
    not_before: datetime | None = None,
    coalesce_key: str | None = None,
) -> None:
    """Add a message; with `coalesce_key`, an edit still waiting absorbs this one."""
    if coalesce_key and await _coalesced(session, coalesce_key, payload):
        return
    session.add(
        OutboxMessage(
            created_at=now,
            kind=kind,
            channel=channel,
            payload=payload,
            case_id=case_id,
            coalesce_key=coalesce_key,
            next_attempt_at=not_before or now,
        )
    )


async def _coalesced(session: AsyncSession, key: str, payload: str) -> bool:
    stmt = (
        update(OutboxMessage)
        .where(col(OutboxMessage.coalesce_key) == key)
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(payload=payload)
    )
    return bool((await session.exec(stmt)).rowcount)


async def claim_due(
    session: AsyncSession, *, now: datetime, worker: str, limit: int, lease: timedelta
) -> Sequence[OutboxMessage]:
    """Claim due rows, and rows whose claimer died mid-send (their lease ran out)."""
    due = or_(
        (col(OutboxMessage.status) == OutboxStatus.PENDING)
        & (col(OutboxMessage.next_attempt_at) <= now),
        (col(OutboxMessage.status) == OutboxStatus.SENDING)
        & (col(OutboxMessage.claimed_until) < now),
    )
    stmt = (
        select(OutboxMessage)
        .where(due)
        .order_by(col(OutboxMessage.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    rows = (await session.exec(stmt)).all()
    for row in rows:
        row.status = OutboxStatus.SENDING
        row.claimed_by = worker
        row.claimed_until = now + lease
        row.attempts += 1
        session.add(row)
    await session.flush()
    return rows


async def finish(
    session: AsyncSession,
    *,
    message_id: int,
    worker: str,
    status: OutboxStatus,
    now: datetime,
    result_ts: str | None = None,
    error: str | None = None,
    retry_at: datetime | None = None,
    undo_attempt: bool = False,
) -> bool:
    """Record the outcome, unless another worker has taken the row over since."""
    values: dict[str, object] = {"status": status, "last_error": error, "claimed_until": None}
    if status == OutboxStatus.SENT:
        values |= {"sent_at": now, "result_ts": result_ts}
    if retry_at is not None:
        values["next_attempt_at"] = retry_at
    if undo_attempt:
        values["attempts"] = OutboxMessage.attempts - 1
    stmt = (
        update(OutboxMessage)
        .where(col(OutboxMessage.id) == message_id)
        .where(col(OutboxMessage.claimed_by) == worker)
        .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
        .values(**values)
    )
    return bool((await session.exec(stmt)).rowcount)


async def cancel_for_case(session: AsyncSession, *, case_id: int, kinds: Sequence[str]) -> int:
    stmt = (
        update(OutboxMessage)
        .where(col(OutboxMessage.case_id) == case_id)
        .where(col(OutboxMessage.kind).in_(kinds))
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .values(status=OutboxStatus.CANCELLED)
    )
    return int((await session.exec(stmt)).rowcount)


async def next_due_at(session: AsyncSession) -> datetime | None:
    stmt = (
        select(OutboxMessage.next_attempt_at)
        .where(OutboxMessage.status == OutboxStatus.PENDING)
        .order_by(col(OutboxMessage.next_attempt_at))
        .limit(1)
    )
    return (await session.exec(stmt)).first()


async def count_by_status(session: AsyncSession, *, status: OutboxStatus) -> int:
    stmt = select(OutboxMessage.id).where(OutboxMessage.status == status)
    return len((await session.exec(stmt)).all())


def delay(attempts: int) -> timedelta:
    """Exponential backoff capped at five minutes."""
    return timedelta(seconds=min(300, 2 ** min(attempts, 9)))
