"""Benchmark the weekly digest's figures on large databases (SQLite and PostgreSQL).

    python bench/bench_digest.py                          # 100k and 1M reports, SQLite (+ PG)
    python bench/bench_digest.py --sizes 100000 --no-pg   # quicker
    python bench/bench_digest.py --explain                # also print the query plans

PostgreSQL is used when KASUHARA_BENCH_PG_URL is set (e.g.
postgresql+asyncpg://postgres@127.0.0.1:5432/kasuhara_bench); its `public` schema is dropped
and recreated, so give it a scratch database of its own, not the one the tests share.
Reports are spread evenly over two years ending with the measured week, with realistic
proportions of acknowledged, escalated and resolved cases.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from sqlalchemy import text  # noqa: E402

from bot.digest.figures import DigestFigures, behaviour_count, compute_figures  # noqa: E402
from bot.digest.weeks import week_span  # noqa: E402
from bot.policy.document import load_policy  # noqa: E402
from storage.db import Sessions, engine_for, make_sessions  # noqa: E402
from storage.migrate import upgrade  # noqa: E402
from storage.reports import bulk_insert_reports  # noqa: E402

ZONE = ZoneInfo("Asia/Tokyo")
WEEK = week_span("2026-W48", ZONE)
SPAN = timedelta(weeks=104)
BATCH = 20_000
LIMITS = {100_000: 1.0, 1_000_000: 5.0}
CHANNELS = ("counter", "phone", "email", "visit", "web", "other")


def _maybe(rng: random.Random, p: float, value: datetime) -> datetime | None:
    return value if rng.random() < p else None


def fake_report(i: int, rng: random.Random) -> dict[str, Any]:
    created = WEEK.end - SPAN * rng.random()
    chosen = sorted(rng.sample(range(1, 14), rng.choice((0, 1, 1, 2, 3))))
    suggested = [] if chosen else sorted(rng.sample(range(1, 14), rng.choice((0, 1, 2))))
    acked = _maybe(rng, 0.95, created + timedelta(minutes=rng.expovariate(1 / 30)))
    resolved = _maybe(rng, 0.97, created + timedelta(days=rng.expovariate(1 / 4)))
    return {
        "case_number": f"KH-{created.year}-{i:07d}",
        "year": created.year,
        "seq": i,
        "team_id": "T0",
        "reporter_id": f"U{i % 500:08d}",
        "occurred_at": created,
        "created_at": created,
        "contact_channel": rng.choice(CHANNELS),
        "behaviours": ",".join(map(str, chosen)),
        "suggested_behaviours": ",".join(map(str, suggested)),
        "urgent": rng.random() < 0.1,
        "support": "none",
        "description_length": rng.randint(20, 3000),
        "status": "resolved" if resolved else "acknowledged" if acked else "new",
        "acknowledged_at": acked,
        "resolved_at": resolved,
        "escalated_at": _maybe(rng, 0.03, created + timedelta(hours=2)),
        "reminder_after_s": 900,
        "escalate_after_s": 3600,
    }


async def load(sessions: Sessions, size: int) -> float:
    rng = random.Random(42)
    started = time.perf_counter()
    for first in range(0, size, BATCH):
        rows = [fake_report(i, rng) for i in range(first, min(size, first + BATCH))]
        async with sessions.begin() as session:
            await bulk_insert_reports(session, rows)
    return time.perf_counter() - started


async def fresh_database(url: str) -> None:
    if url.startswith("postgresql"):
        async with engine_for(url) as engine, engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(url)


async def figures(sessions: Sessions, now: datetime) -> tuple[float, DigestFigures]:
    started = time.perf_counter()
    async with sessions() as session:
        result = await compute_figures(
            session, WEEK, zone=ZONE, now=now, behaviours=behaviour_count(load_policy(None))
        )
    return time.perf_counter() - started, result


async def explain(sessions: Sessions, dialect: str) -> None:
    """The plans of the digest's statements, captured as they run."""
    from sqlalchemy import event

    engine = sessions.kw["bind"].sync_engine
    seen: list[tuple[str, Any]] = []

    def capture(conn: Any, cursor: Any, statement: str, params: Any, *_: Any) -> None:
        if statement.lstrip().upper().startswith("SELECT"):
            seen.append((statement, params))

    event.listen(engine, "before_cursor_execute", capture)
    await figures(sessions, WEEK.end + timedelta(hours=9))
    event.remove(engine, "before_cursor_execute", capture)
    prefix = "EXPLAIN QUERY PLAN " if dialect == "sqlite" else "EXPLAIN "
    async with sessions() as session:
        for statement, params in seen:
            conn = await session.connection()
            rows = await conn.exec_driver_sql(prefix + statement, params)
            print("  " + " | ".join(str(r[-1]) for r in rows.all())[:400])


async def bench_one(url: str, size: int, repeat: int, show_plans: bool) -> dict[str, Any]:
    await fresh_database(url)
    async with engine_for(url) as engine:
        sessions = make_sessions(engine)
        load_s = await load(sessions, size)
        if engine.dialect.name == "postgresql":
            async with engine.begin() as conn:  # what autovacuum does after a big load
                await conn.execute(text("ANALYZE"))
        now = WEEK.end + timedelta(hours=9)  # Monday 09:00, when the digest is sent
        first, result = await figures(sessions, now)
        times = [(await figures(sessions, now))[0] for _ in range(repeat)]
        if show_plans:
            await explain(sessions, engine.dialect.name)
    return {
        "db": engine.dialect.name,
        "rows": size,
        "load_s": load_s,
        "first_s": first,
        "median_s": statistics.median(times),
        "max_s": max([first, *times]),
        "figures": result,
    }


def print_row(r: dict[str, Any]) -> None:
    f: DigestFigures = r["figures"]
    limit = LIMITS.get(r["rows"])
    verdict = "-" if limit is None else ("ok" if r["max_s"] <= limit else "SLOW")
    print(
        f"{r['db']:<10} {r['rows']:>9,} {r['load_s']:>8.1f} {r['first_s']:>8.3f} "
        f"{r['median_s']:>9.3f} {r['max_s']:>8.3f} {limit or 0:>6.1f} {verdict:>5}   "
        f"week={f.total} prev={f.previous} ack_med={f.ack_median_seconds or 0:.0f}s "
        f"open={sum(f.open_by_age)} esc={f.escalations}",
        flush=True,
    )


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[100_000, 1_000_000])
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-pg", action="store_true")
    parser.add_argument("--explain", action="store_true")
    args = parser.parse_args()
    pg = os.environ.get("KASUHARA_BENCH_PG_URL")
    print(f"digest figures of {WEEK.week}; reports spread over {SPAN.days // 7} weeks")
    print(
        f"{'db':<10} {'reports':>9} {'load s':>8} {'first s':>8} {'median s':>9} "
        f"{'max s':>8} {'limit':>6} {'':>5}   figures"
    )
    with tempfile.TemporaryDirectory() as tmp:
        urls = [f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"]
        urls += [pg] if pg and not args.no_pg else []
        failed = False
        for url in urls:
            for size in args.sizes:
                if url.startswith("sqlite"):
                    Path(tmp, "bench.db").unlink(missing_ok=True)
                row = asyncio.run(bench_one(url, size, args.repeat, args.explain))
                print_row(row)
                failed |= row["max_s"] > LIMITS.get(size, float("inf"))
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
