"""Keys of processed Slack deliveries (retries, repeated payloads)."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import delete
from sqlmodel import col
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import ProcessedRequest


async def remember_request(session: AsyncSession, *, key: str, at: datetime) -> None:
    """Raises IntegrityError when the key is already there."""
    session.add(ProcessedRequest(key=key[:128], at=at))
    await session.flush()


async def forget_requests_before(session: AsyncSession, *, before: datetime) -> int:
    stmt = delete(ProcessedRequest).where(col(ProcessedRequest.at) < before)
    return int((await session.exec(stmt)).rowcount)
