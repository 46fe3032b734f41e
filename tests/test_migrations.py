"""The Alembic migrations build exactly the schema the models describe."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy.engine import Connection
from sqlmodel import SQLModel

from storage import models  # noqa: F401  (registers the tables)
from storage.db import engine_for
from storage.migrate import upgrade


def _diff(connection: Connection) -> list[object]:
    context = MigrationContext.configure(connection, opts={"compare_type": True})
    return list(compare_metadata(context, SQLModel.metadata))


async def test_migrations_match_models(database_url: str) -> None:
    await upgrade(database_url)
    async with engine_for(database_url) as engine, engine.connect() as conn:
        assert await conn.run_sync(_diff) == []


async def test_upgrade_is_idempotent(database_url: str) -> None:
    await upgrade(database_url)
    await upgrade(database_url)
