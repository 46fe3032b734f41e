"""Outbox rows: written with the change that causes them, claimed by one deliverer at a time."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, or_, update
from sqlalchemy import select as sa_select
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
    payload: str | None = None,
) -> bool:
    """Record the outcome, unless another worker has taken the row over since. `payload`
    replaces the message (its safe minimal form after Slack refused the first)."""
    values: dict[str, object] = {"status": status, "last_error": error, "claimed_until": None}
    if payload is not None:
        values["payload"] = payload
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


async def renew(session: AsyncSession, *, ids: Sequence[int], worker: str, until: datetime) -> int:
    """Extend the lease of rows this worker is still sending: a live sender keeps its rows
    however long Slack takes, and only a dead one's lease runs out."""
    if not ids:
        return 0
    stmt = (
        update(OutboxMessage)
        .where(col(OutboxMessage.id).in_(list(ids)))
        .where(col(OutboxMessage.claimed_by) == worker)
        .where(col(OutboxMessage.status) == OutboxStatus.SENDING)
        .values(claimed_until=until)
    )
    return int((await session.exec(stmt)).rowcount)


HOLD_PREFIX = "hold:"


@dataclass(frozen=True)
class Held:
    """Messages waiting for a fix in Slack: `count` rows of `kind` to `channel`, held for
    `code` (Slack's error or our channel verdict) since `since`."""

    kind: str
    channel: str
    code: str
    count: int
    since: datetime


async def held(session: AsyncSession) -> list[Held]:
    stmt: Any = (
        sa_select(
            col(OutboxMessage.kind),
            col(OutboxMessage.channel),
            col(OutboxMessage.last_error),
            func.count(),
            func.min(OutboxMessage.created_at),
        )
        .where(col(OutboxMessage.status).in_([OutboxStatus.PENDING, OutboxStatus.SENDING]))
        .where(col(OutboxMessage.last_error).startswith(HOLD_PREFIX))
        .group_by(
            col(OutboxMessage.kind), col(OutboxMessage.channel), col(OutboxMessage.last_error)
        )
    )
    return [
        Held(kind, channel, str(error).removeprefix(HOLD_PREFIX), int(n), since)
        for kind, channel, error, n, since in (await session.exec(stmt)).all()
    ]


async def rows_of_case(
    session: AsyncSession, *, case_id: int, kinds: Sequence[str]
) -> Sequence[OutboxMessage]:
    """A case's rows of these kinds, oldest first."""
    stmt = (
        select(OutboxMessage)
        .where(col(OutboxMessage.case_id) == case_id)
        .where(col(OutboxMessage.kind).in_(kinds))
        .order_by(col(OutboxMessage.id))
    )
    return (await session.exec(stmt)).all()


async def wake(session: AsyncSession, *, case_id: int, kinds: Sequence[str], now: datetime) -> int:
    """Make a case's rows of these kinds that wait on it due now (a receipt, thread lines,
    once its alert's fate is known); rows held for a cause of their own keep waiting."""
    stmt = (
        update(OutboxMessage)
        .where(col(OutboxMessage.case_id) == case_id)
        .where(col(OutboxMessage.kind).in_(list(kinds)))
        .where(col(OutboxMessage.status) == OutboxStatus.PENDING)
        .where(col(OutboxMessage.next_attempt_at) > now)
        .where(
            col(OutboxMessage.last_error).is_(None)
            | ~col(OutboxMessage.last_error).startswith(HOLD_PREFIX)
        )
        .values(next_attempt_at=now)
    )
    return int((await session.exec(stmt)).rowcount)


async def count_failed(session: AsyncSession) -> int:
    return await count_by_status(session, status=OutboxStatus.FAILED)


def delay(attempts: int) -> timedelta:
    """Exponential backoff capped at five minutes."""
    return timedelta(seconds=min(300, 2 ** min(attempts, 9)))
