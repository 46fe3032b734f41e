"""How long a supervisor who is also in HR waits for their Home, with many open cases.

    python bench/bench_home.py                      # 300 and 1,000 open cases, SQLite
    python bench/bench_home.py --open 300 --repeat 5
    python bench/bench_home.py --database-url postgresql+asyncpg://postgres@127.0.0.1/DB

The PostgreSQL database's `public` schema is dropped and recreated: give it a scratch one.

Each open case has a posted alert, so the first opening asks chat.getPermalink for the 25
lines of the first page (later openings use the gateway's cache). 20,000 closed cases of the
past are seeded too, for the HR figures. Timed: a signed app_home_opened event until the
stand-in has stored the published Home (membership checks, queries, links, views.publish).
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import json
import tempfile
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

from benchlib import fresh_database, percentile, seed_reports, table

from bot.demo.harness import HR, SUPERVISOR_IDS, SUPERVISORS, demo_workspace, running_harness
from storage.home import open_reports
from storage.reports import bulk_insert_reports, set_alert_ref

USER = SUPERVISOR_IDS[0]


def open_case(i: int, now: Any) -> dict[str, Any]:
    created = now - timedelta(minutes=17 * i)
    owner = (None, USER, SUPERVISOR_IDS[1], None)[i % 4]
    return {
        "case_number": f"KH-2027-{i:05d}",
        "year": 2027,
        "seq": i,
        "reporter_id": f"U{i % 50:08d}",
        "occurred_at": created,
        "created_at": created,
        "contact_channel": "phone",
        "behaviours": str(i % 13 + 1),
        "suggested_behaviours": "",
        "urgent": i % 7 == 0,
        "support": "none",
        "status": "in_progress" if owner else "new",
        "acknowledged_at": created if owner else None,
        "owner_id": owner,
        "owned_at": created if owner else None,
    }


async def run(url: str, open_count: int, repeat: int) -> dict[str, Any]:
    await fresh_database(url)
    workspace = demo_workspace()
    channels = dict(workspace.channels)
    channels[HR] = dataclasses.replace(channels[HR], members=(*channels[HR].members, USER))
    async with running_harness(url, workspace=demo_workspace(channels=channels)) as h:
        now = h.svc.clock.now()
        await seed_reports(h.svc.sessions, 20_000, before=now - timedelta(days=60))
        async with h.svc.sessions.begin() as session:
            await bulk_insert_reports(
                session, [open_case(i, now) for i in range(1, open_count + 1)]
            )
        async with h.svc.sessions() as session:
            ids = [r.id for r in await open_reports(session, limit=open_count) if r.id]
        for case_id in ids:
            ts = await h.svc.gateway.post(SUPERVISORS, {"text": "alert"})
            async with h.svc.sessions.begin() as session:
                await set_alert_ref(session, case_id=case_id, channel=SUPERVISORS, ts=ts)
        times = []
        for _ in range(repeat):
            started = time.perf_counter()
            await h.driver.app_home_opened(USER)
            await h.settle()
            times.append((time.perf_counter() - started) * 1000)
        view = h.standin.home_views[USER]
    return {
        "open": open_count,
        "blocks": len(view["blocks"]),
        "first_ms": times[0],
        "p50_ms": percentile(times[1:], 50),
        "p99_ms": percentile(times[1:], 99),
    }


async def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--open", type=int, nargs="+", default=[300, 1000])
    parser.add_argument("--repeat", type=int, default=21)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--quick", action="store_true")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args()
    sizes, repeat = ([100], 3) if args.quick else (args.open, max(2, args.repeat))
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for size in sizes:
            url = args.database_url or f"sqlite+aiosqlite:///{tmp}/home-{size}.db"
            rows.append(await run(url, size, repeat))
    print(
        table(
            ["open cases", "blocks", "first opening ms", "p50 ms", "p99 ms"],
            [[r["open"], r["blocks"], r["first_ms"], r["p50_ms"], r["p99_ms"]] for r in rows],
        )
    )
    if args.json:
        args.json.write_text(json.dumps(rows))


if __name__ == "__main__":
    asyncio.run(main())
