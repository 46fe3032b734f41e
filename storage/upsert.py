"""INSERT … ON CONFLICT in the session's own dialect (PostgreSQL or SQLite).

Both dialects spell it alike, but each has its own `insert` construct; the PostgreSQL one is
imported only when a PostgreSQL session asks for it, so a SQLite deployment never loads it.
"""

from __future__ import annotations

from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession


def dialect_name(session: AsyncSession) -> str:
    """``"postgresql"`` or ``"sqlite"``: the dialect of the engine the session is bound to."""
    return session.bind.dialect.name if session.bind else "sqlite"


def upsert(session: AsyncSession, table: Any) -> Any:
    """An ``insert(table)`` that has ``on_conflict_do_nothing`` / ``on_conflict_do_update``
    (SQLAlchemy's dialect-specific inserts; both support ``returning``)."""
    if dialect_name(session) == "postgresql":
        from sqlalchemy.dialects.postgresql import insert as pg_insert

        return pg_insert(table)
    from sqlalchemy.dialects.sqlite import insert as sqlite_insert

    return sqlite_insert(table)
