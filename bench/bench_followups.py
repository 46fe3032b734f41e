"""1,000 check-in DMs falling due at once, drained against Slack's ~1 message/s/channel pace.

    python bench/bench_followups.py                  # 1,000 check-ins to 200 reporters, SQLite
    python bench/bench_followups.py --reporters 50   # 20 each: well past the stand-in's burst
    python bench/bench_followups.py --quick          # 200 check-ins
    python bench/bench_followups.py --database-url postgresql+asyncpg://postgres@127.0.0.1/DB

The PostgreSQL database's `public` schema is dropped and recreated: give it a scratch one.

Check-ins are DMs, one conversation per reporter, so Slack's per-channel pace applies to each
reporter separately (`pace_post_message`: bursts of 5, then 1/s, then 429 + Retry-After). The
app runs as in production: the follow-up job (called here once, as the scheduler would) turns
each due row into an outbox row and kicks the deliverer; the scheduler's periodic outbox drain
is mirrored, so a message put back after a 429 goes out again. The stand-in counts every
check-in it stores: each must arrive exactly once.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import json
import sys
import tempfile
import time
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from benchlib import fresh_database, table
from sqlalchemy import func, insert
from sqlmodel import col, select

from bot.cases.followup_jobs import run_due_followups
from bot.demo.harness import DEFAULT_START, demo_workspace, running_harness
from bot.scheduler import OUTBOX_SECONDS, drain_outbox
from bot.services import Services
from slack_standin import UserInfo, Workspace
from slack_standin.state import ApiCall
from storage.models import FollowUp, OutboxMessage, Report
from storage.reports import bulk_insert_reports

TARGET_S = 60.0
GIVE_UP_S = 180.0


@dataclass
class Tally:
    """What the stand-in saw: check-in DMs by follow-up id, and the 429s it answered."""

    started: float = field(default_factory=time.perf_counter)
    checkins: Counter[int] = field(default_factory=Counter)
    last_at: float = 0.0
    ratelimited: int = 0
    expected: int = 0
    done: asyncio.Event = field(default_factory=asyncio.Event)

    def saw(self, call: ApiCall) -> None:
        if call.method != "chat.postMessage":
            return
        if call.error == "ratelimited":
            self.ratelimited += 1
        followup = checkin_id(call.args.get("blocks")) if call.ok else None
        if followup is not None:
            self.checkins[followup] += 1
            self.last_at = time.perf_counter()
            if len(self.checkins) >= self.expected:
                self.done.set()


def checkin_id(blocks: Any) -> int | None:
    """The follow-up id a check-in's buttons carry."""
    for block in blocks if isinstance(blocks, list) else []:
        if isinstance(block, dict) and block.get("block_id") == "checkin.actions":
            value = str(block["elements"][0].get("value", ""))
            return int(value) if value.isdigit() else None
    return None


class CallLog(list[ApiCall]):
    def __init__(self, tally: Tally) -> None:
        super().__init__()
        self.tally = tally

    def append(self, call: ApiCall) -> None:
        super().append(call)
        self.tally.saw(call)


class RunningClock:
    """Real time, but starting on a weekday morning: check-ins are not held for quiet hours."""

    def __init__(self, start: datetime) -> None:
        self.start, self.origin = start, time.monotonic()

    def __call__(self) -> datetime:
        return self.start + timedelta(seconds=time.monotonic() - self.origin)


def reporter(i: int) -> str:
    return f"UREP{i:05d}"


def workspace(reporters: int) -> Workspace:
    ws = demo_workspace()
    users = {reporter(i): UserInfo(id=reporter(i), name=f"staff{i}") for i in range(reporters)}
    ws.users = ws.users | users
    return ws


def report_row(i: int, reporters: int, created: datetime) -> dict[str, Any]:
    return {
        "case_number": f"KH-{created.year}-{i + 1:04d}",
        "year": created.year,
        "seq": i + 1,
        "team_id": "T0KASUHARA",
        "reporter_id": reporter(i % reporters),
        "occurred_at": created,
        "created_at": created,
        "contact_channel": "phone",
        "behaviours": "1",
        "status": "resolved",
        "resolved_at": created + timedelta(hours=1),
    }


async def seed(svc: Services, count: int, reporters: int) -> set[int]:
    """`count` reports from yesterday, each with a check-in due now; the follow-ups' ids."""
    now = svc.clock.now()
    created = now - timedelta(days=1, minutes=1)
    async with svc.sessions.begin() as session:
        rows = [report_row(i, reporters, created) for i in range(count)]
        await bulk_insert_reports(session, rows)
        ids = (await session.exec(select(Report.id).order_by(col(Report.id)))).all()
        followups = [{"case_id": i, "kind": "checkin", "due_at": now} for i in ids]
        await session.exec(insert(FollowUp), params=followups)  # type: ignore[call-overload]
    async with svc.sessions() as session:
        found = (await session.exec(select(FollowUp.id))).all()
    return {int(i) for i in found if i is not None}


async def periodic_drain(svc: Services, stop: asyncio.Event) -> None:
    """The scheduler's outbox job: what is put back after a failure goes out on its next run."""
    while not stop.is_set():
        try:
            await asyncio.wait_for(stop.wait(), OUTBOX_SECONDS)
        except TimeoutError:
            await drain_outbox(svc)


async def outbox_states(svc: Services) -> dict[str, int]:
    async with svc.sessions() as session:
        stmt = select(OutboxMessage.status, func.count()).group_by(col(OutboxMessage.status))
        return {str(s): int(n) for s, n in (await session.exec(stmt)).all()}


async def bench(url: str, args: Any) -> dict[str, Any]:
    await fresh_database(url)
    async with running_harness(url, workspace=workspace(args.reporters), start=DEFAULT_START) as h:
        h.svc.clock.now_fn = RunningClock(DEFAULT_START)
        expected = await seed(h.svc, args.followups, args.reporters)
        h.standin.pace_post_message = True
        tally = Tally(expected=len(expected))
        h.standin.state.calls = CallLog(tally)
        stop = asyncio.Event()
        drainer = asyncio.create_task(periodic_drain(h.svc, stop))
        tally.started = time.perf_counter()
        claimed = await run_due_followups(h.svc)
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(tally.done.wait(), GIVE_UP_S)
        stop.set()
        await drainer  # a drain under way finishes, as the scheduler's would
        await h.svc.deliverer.wait_idle()
        states = await outbox_states(h.svc)
    return summarise(tally, expected, claimed, states)


def summarise(
    tally: Tally, expected: set[int], claimed: int, states: dict[str, int]
) -> dict[str, Any]:
    seconds = (tally.last_at or time.perf_counter()) - tally.started
    got = set(tally.checkins)
    return {
        "due": len(expected),
        "claimed": claimed,
        "delivered": len(got & expected),
        "missing": len(expected - got),
        "duplicates": sum(n - 1 for n in tally.checkins.values() if n > 1),
        "unexpected": len(got - expected),
        "ratelimited": tally.ratelimited,
        "drain_s": seconds,
        "per_s": len(got) / seconds if seconds > 0 else 0.0,
        "outbox": states,
    }


def report(result: dict[str, Any], args: Any, db: str) -> bool:
    ok = (
        result["missing"] == 0
        and result["duplicates"] == 0
        and result["unexpected"] == 0
        and result["drain_s"] <= TARGET_S
    )
    per = args.followups / args.reporters
    print(
        f"\n{db}: {args.followups:,} check-ins due at once to {args.reporters} reporters "
        f"(~{per:g} each); Slack's pace on (burst 5, then 1/s per channel)"
    )
    rows: list[list[Any]] = [
        [
            result["due"],
            result["delivered"],
            result["missing"],
            result["duplicates"],
            result["ratelimited"],
            result["drain_s"],
            result["per_s"],
            f"≤ {TARGET_S:g} s, each once",
            "ok" if ok else "MISS",
        ]
    ]
    headers = ["due", "sent once", "missing", "twice", "429s", "drain s", "msgs/s", "target", ""]
    print(table(headers, rows))
    print(f"outbox rows by status: {result['outbox']}")
    return ok


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--followups", type=int, default=1_000)
    parser.add_argument("--reporters", type=int, default=200)
    parser.add_argument("--quick", action="store_true", help="200 check-ins to 40 reporters")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.followups, args.reporters = 200, 40
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        result = asyncio.run(bench(url, args))
    db = url.split("+")[0].split(":")[0]
    report(result, args, db)
    if args.json:
        args.json.write_text(json.dumps(result, indent=2))
    lost = result["missing"] or result["duplicates"] or result["unexpected"]
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
