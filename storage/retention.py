"""Retention queries: the personal part of old closed cases, and old delivery bookkeeping."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.keys import ENCRYPTED_COLUMNS, KEYED_HASH_COLUMNS
from storage.models import CaseStatus, OutboxMessage, OutboxStatus, Report

EMPTY_PAYLOAD = "{}"
DONE = (OutboxStatus.SENT, OutboxStatus.FAILED, OutboxStatus.CANCELLED)


async def purgeable_reports(
    session: AsyncSession, *, resolved_before: datetime, limit: int
) -> Sequence[Report]:
    """Closed cases past retention whose text is still there. Rows another instance is
    purging right now are skipped rather than waited for."""
    stmt = (
        select(Report)
        .where(col(Report.status) == CaseStatus.RESOLVED)
        .where(col(Report.resolved_at) < resolved_before)
        .where(col(Report.purged_at).is_(None))
        .order_by(col(Report.id))
        .limit(limit)
        .with_for_update(skip_locked=True)
    )
    return (await session.exec(stmt)).all()


async def clear_report_text(session: AsyncSession, *, case_ids: Sequence[int], at: datetime) -> int:
    """Drop every encrypted column and the customer key's hash (a purged case links to
    nothing); the figures the digest counts stay."""
    columns = ENCRYPTED_COLUMNS + KEYED_HASH_COLUMNS
    values: dict[str, object] = dict.fromkeys(columns) | {"purged_at": at}
    stmt = (
        update(Report)
        .where(col(Report.id).in_(list(case_ids)))
        .where(col(Report.purged_at).is_(None))
        .values(**values)
    )
    return int((await session.exec(stmt)).rowcount)


async def forget_outbox_payloads(session: AsyncSession, *, before: datetime) -> int:
    """Delivered (or abandoned) messages need their row for the record, not their words."""
    stmt = (
        update(OutboxMessage)
        .where(col(OutboxMessage.status).in_(DONE))
        .where(col(OutboxMessage.created_at) < before)
        .where(col(OutboxMessage.payload) != EMPTY_PAYLOAD)
        .values(payload=EMPTY_PAYLOAD)
    )
    return int((await session.exec(stmt)).rowcount)
