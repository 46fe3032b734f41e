"""Helpers shared by the app benches: a fresh database, seeded history, figures and tables."""

from __future__ import annotations

import math
import random
import time
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import insert, text

from storage.db import Sessions, engine_for
from storage.migrate import upgrade
from storage.models import CaseCounter
from storage.reports import bulk_insert_reports

BATCH = 10_000
CHANNELS = ("counter", "phone", "email", "visit", "web", "other")


async def fresh_database(url: str) -> None:
    """An empty schema at head: PostgreSQL's `public` schema is dropped and recreated."""
    if url.startswith("postgresql"):
        async with engine_for(url) as engine, engine.begin() as conn:
            await conn.execute(text("DROP SCHEMA IF EXISTS public CASCADE"))
            await conn.execute(text("CREATE SCHEMA public"))
    await upgrade(url)


def past_report(i: int, created: datetime, seq: int, rng: random.Random) -> dict[str, Any]:
    """A closed case of the past, as the digest bench makes them (no text: it was purged)."""
    resolved = created + timedelta(days=rng.expovariate(1 / 4))
    return {
        "case_number": f"KH-{created.year}-{seq:04d}",
        "year": created.year,
        "seq": seq,
        "team_id": "T0KASUHARA",
        "reporter_id": f"U{i % 500:08d}",
        "occurred_at": created,
        "created_at": created,
        "contact_channel": rng.choice(CHANNELS),
        "behaviours": str(rng.randint(1, 13)),
        "suggested_behaviours": "",
        "urgent": rng.random() < 0.1,
        "support": "none",
        "description_length": rng.randint(20, 3000),
        "status": "resolved",
        "acknowledged_at": created + timedelta(minutes=rng.expovariate(1 / 30)),
        "resolved_at": resolved,
        "purged_at": resolved,
        "reminder_after_s": 900,
        "escalate_after_s": 3600,
    }


async def seed_reports(sessions: Sessions, count: int, *, before: datetime) -> float:
    """`count` past reports spread over the two years before `before`, with case counters
    that continue their numbering; returns the seconds it took."""
    rng = random.Random(42)
    started = time.perf_counter()
    moments = sorted(before - timedelta(days=730) * rng.random() for _ in range(count))
    last_seq: dict[int, int] = {}
    for first in range(0, count, BATCH):
        rows = []
        for i in range(first, min(count, first + BATCH)):
            year = moments[i].astimezone(UTC).year
            last_seq[year] = last_seq.get(year, 0) + 1
            rows.append(past_report(i, moments[i], last_seq[year], rng))
        async with sessions.begin() as session:
            await bulk_insert_reports(session, rows)
    async with sessions.begin() as session:
        counters = [{"year": y, "last_seq": s} for y, s in last_seq.items()]
        await session.exec(insert(CaseCounter), params=counters)  # type: ignore[call-overload]
    return time.perf_counter() - started


def percentile(values: Sequence[float], q: float) -> float:
    """The nearest-rank percentile (q in 0..100) of the values; NaN when there are none."""
    if not values:
        return math.nan
    ordered = sorted(values)
    rank = max(1, math.ceil(q / 100 * len(ordered)))
    return ordered[rank - 1]


def table(headers: Sequence[str], rows: list[Sequence[Any]]) -> str:
    """A plain text table, numbers right-aligned."""
    cells = [[_cell(v) for v in row] for row in rows]
    widths = [max([len(h)] + [len(r[i]) for r in cells]) for i, h in enumerate(headers)]
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True))]
    lines.append("  ".join("-" * w for w in widths))
    for raw, row in zip(rows, cells, strict=True):
        aligned = [
            c.rjust(w) if isinstance(v, int | float) else c.ljust(w)
            for v, c, w in zip(raw, row, widths, strict=True)
        ]
        lines.append("  ".join(aligned).rstrip())
    return "\n".join(lines)


def _cell(value: Any) -> str:
    if isinstance(value, float):
        return "-" if math.isnan(value) else f"{value:,.1f}"
    if isinstance(value, int):
        return f"{value:,}"
    return str(value)


def _proc_ticks(pid: int | str) -> int:
    """CPU ticks (user + system) a process has used; 0 where /proc cannot tell."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
        return int(fields[11]) + int(fields[12])
    except (OSError, IndexError, ValueError):
        return 0


def _machine_ticks() -> tuple[int, int]:
    """(busy, total) CPU ticks of the whole machine so far."""
    try:
        values = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return 0, 0
    idle = values[3] + (values[4] if len(values) > 4 else 0)
    return sum(values) - idle, sum(values)


@dataclass
class CpuShare:
    """How busy the machine was while measuring, and how much of that was somebody else."""

    ours: float  # percent of the whole machine (all cores) used by the bench's own processes
    others: float  # percent used by everything else: other people's tests skew the figures


class CpuMeter:
    def __init__(self, pids: Sequence[int | str]) -> None:
        self.pids = list(pids)
        self.start = self._sample()

    def _sample(self) -> tuple[int, int, int]:
        busy, total = _machine_ticks()
        return busy, total, sum(_proc_ticks(p) for p in self.pids)

    def stop(self) -> CpuShare:
        busy, total, ours = (b - a for a, b in zip(self.start, self._sample(), strict=True))
        if total <= 0:
            return CpuShare(math.nan, math.nan)
        return CpuShare(100 * ours / total, 100 * max(0, busy - ours) / total)
