"""The audit log: appended to in the same transaction as the change it records."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import AuditEvent, Report


async def add_audit(
    session: AsyncSession,
    *,
    at: datetime,
    actor_id: str,
    action: str,
    case_id: int | None = None,
    detail: dict[str, Any] | None = None,
) -> None:
    session.add(
        AuditEvent(
            at=at,
            actor_id=actor_id,
            action=action,
            case_id=case_id,
            detail=json.dumps(detail or {}, ensure_ascii=False, sort_keys=True),
        )
    )


async def audit_for_case(session: AsyncSession, *, case_id: int) -> Sequence[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.case_id == case_id).order_by(col(AuditEvent.id))
    return (await session.exec(stmt)).all()


async def audit_by_action(session: AsyncSession, *, action: str) -> Sequence[AuditEvent]:
    stmt = select(AuditEvent).where(AuditEvent.action == action).order_by(col(AuditEvent.id))
    return (await session.exec(stmt)).all()


async def audit_for_case_number(session: AsyncSession, *, case_number: str) -> Sequence[AuditEvent]:
    """A case's history, oldest first, found by its number (KH-2026-0001)."""
    stmt = (
        select(AuditEvent)
        .join(Report, col(Report.id) == col(AuditEvent.case_id))
        .where(Report.case_number == case_number)
        .order_by(col(AuditEvent.id))
    )
    return (await session.exec(stmt)).all()
