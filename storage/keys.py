"""The encrypted columns, read and rewritten in batches for key rotation."""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import update
from sqlmodel import col, select
from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import Report

# Every column that holds report text encrypted with KASUHARA_DATA_KEY.
ENCRYPTED_COLUMNS = (
    "description_enc",
    "customer_enc",
    "source_permalink_enc",
    "outcome_enc",
    "customer_key_enc",
)
# Keyed with a key derived from KASUHARA_DATA_KEY: rewritten on rotation, purged with the text.
KEYED_HASH_COLUMNS = ("customer_key_hash",)


async def reports_after(session: AsyncSession, *, after_id: int, limit: int) -> Sequence[Report]:
    """The next batch by id, locked, so a click that writes an outcome waits for the rewrite."""
    stmt = (
        select(Report)
        .where(col(Report.id) > after_id)
        .order_by(col(Report.id))
        .limit(limit)
        .with_for_update()
    )
    return (await session.exec(stmt)).all()


async def set_encrypted(session: AsyncSession, *, case_id: int, values: dict[str, str]) -> None:
    unknown = set(values) - set(ENCRYPTED_COLUMNS) - set(KEYED_HASH_COLUMNS)
    if unknown:
        raise ValueError(f"not encrypted or keyed columns: {sorted(unknown)}")
    stmt = update(Report).where(col(Report.id) == case_id).values(**values)
    await session.exec(stmt)


async def newest_encrypted(session: AsyncSession, *, limit: int) -> Sequence[str]:
    """Encrypted descriptions of the newest reports that still have one (not purged)."""
    stmt = (
        select(Report.description_enc)
        .where(col(Report.description_enc).is_not(None))
        .order_by(col(Report.id).desc())
        .limit(limit)
    )
    return [t for t in (await session.exec(stmt)).all() if t]
