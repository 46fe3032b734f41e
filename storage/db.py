"""The async engine and the session factory."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from sqlalchemy import Connection, event, make_url
from sqlalchemy.ext.asyncio import AsyncEngine, async_sessionmaker, create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession

Sessions = async_sessionmaker[AsyncSession]


def make_engine(url: str) -> AsyncEngine:
    if url.startswith("sqlite"):
        engine = create_async_engine(url, connect_args={"timeout": 30}, **_sqlite_pool(url))
        event.listen(engine.sync_engine, "connect", _sqlite_pragmas)
        event.listen(engine.sync_engine, "begin", _sqlite_begin_immediate)
        return engine
    return create_async_engine(url, pool_size=10, max_overflow=10, pool_pre_ping=True)


def _sqlite_pool(url: str) -> dict[str, Any]:
    """One connection per process. Every transaction begins IMMEDIATE (below), so SQLite runs
    them one at a time however many connections there are; with one, they wait their turn in
    the pool's queue, first come first served, instead of in SQLite's busy handler, which
    retries with sleeps of up to 100 ms that overshoot the lock's release (bench/bench_ack.py
    at 40 requests/s: ack p99 1.5-1.8 s -> 0.3-0.5 s). Another process on the same file still
    waits on busy_timeout. In-memory databases already get SQLAlchemy's StaticPool."""
    database = make_url(url).database
    if not database or database == ":memory:" or "mode=memory" in url:
        return {}
    return {"pool_size": 1, "max_overflow": 0}


def make_sessions(engine: AsyncEngine) -> Sessions:
    return async_sessionmaker(engine, class_=AsyncSession, expire_on_commit=False)


def is_sqlite(engine: AsyncEngine) -> bool:
    return engine.dialect.name == "sqlite"


@asynccontextmanager
async def engine_for(url: str) -> AsyncIterator[AsyncEngine]:
    engine = make_engine(url)
    try:
        yield engine
    finally:
        await engine.dispose()


def _sqlite_pragmas(dbapi_conn: Any, _record: object) -> None:  # DB-API: untyped by nature
    # pysqlite's own transaction handling would defer BEGIN; we issue BEGIN IMMEDIATE ourselves
    # so concurrent writers queue on the lock instead of failing on upgrade.
    dbapi_conn.isolation_level = None
    cursor = dbapi_conn.cursor()
    cursor.execute("PRAGMA journal_mode=WAL")
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    cursor.close()


def _sqlite_begin_immediate(conn: Connection) -> None:
    conn.exec_driver_sql("BEGIN IMMEDIATE")
