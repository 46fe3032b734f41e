"""Shared fixtures: a fresh database per test (SQLite, and PostgreSQL when configured)."""

from __future__ import annotations

import os
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.demo.harness import Harness, running_harness
from tests.shared import MISSING_REASON

PG_URL = os.environ.get("KASUHARA_TEST_DATABASE_URL", "")


async def _reset_postgres(url: str) -> None:
    from sqlalchemy import text

    from storage.db import engine_for

    async with engine_for(url) as engine, engine.begin() as conn:
        await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
        await conn.execute(text("CREATE SCHEMA public"))


@pytest.fixture(params=["sqlite", "postgres"])
async def database_url(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[str]:
    if request.param == "sqlite":
        yield f"sqlite+aiosqlite:///{tmp_path / 'kasuhara.db'}"
        return
    if not PG_URL:
        pytest.skip("PostgreSQL tests need KASUHARA_TEST_DATABASE_URL (.ci/run sets it)")
    await _reset_postgres(PG_URL)
    yield PG_URL


@pytest.fixture
async def sqlite_url(tmp_path: Path) -> str:
    return f"sqlite+aiosqlite:///{tmp_path / 'kasuhara.db'}"


@pytest.fixture
async def harness(database_url: str) -> AsyncIterator[Harness]:
    async with running_harness(database_url) as h:
        yield h


def pytest_terminal_summary(terminalreporter: pytest.TerminalReporter) -> None:
    """Say plainly when tests did not run for want of ../shared (a fresh clone has none)."""
    skipped = terminalreporter.stats.get("skipped", [])
    missing = [r for r in skipped if MISSING_REASON in str(r.longrepr)]
    if missing:
        terminalreporter.write_line(
            f"{len(missing)} tests skipped: {MISSING_REASON} (it sits beside the checkout)",
            yellow=True,
        )
