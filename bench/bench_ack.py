"""Ack latency of four kinds of request, as ratios to a bare Bolt app measured in the same run;
report → alert latency; connections opened to "Slack" per 100 calls.

    python bench/bench_ack.py                       # SQLite, 100,000 stored reports
    python bench/bench_ack.py --quick               # a short smoke run
    python bench/bench_ack.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/DB

The PostgreSQL database's `public` schema is dropped and recreated: give it a scratch one.

The app and the bare app (listeners that only ack) each run in a process of their own
(bench/ack_server.py), the app with its normal background delivery, so the load generator and
the stand-in (Slack) share neither their event loop nor their core. Both are up at once and
measured in alternating segments (app, bare, bare, app, …), so that other work on the machine
weighs on both alike. The load is open-loop: requests go out at fixed intervals whether or not
earlier ones were answered, the four kinds of ack_load.py in turn. Ack latency is the round
trip of the signed HTTP request on a kept-alive connection; alert latency runs from sending a
submission until the stand-in recorded its alert's chat.postMessage. Connections are those the
stand-in accepted during the app's segments, per 100 Web API calls and response_url posts.
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import json
import os
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import aiohttp
from ack_load import (
    CLICK,
    KINDS,
    QUESTION,
    QUESTIONS,
    SLASH,
    AlertWatch,
    CallLog,
    Load,
    bench_workspace,
    open_template,
)
from ack_report import HEADERS, figures_of, rows_of
from benchlib import CpuMeter, fresh_database, seed_reports, table

from slack_standin import SlackStandin
from storage.db import engine_for, make_sessions

HERE = Path(__file__).resolve().parent
SERVER = HERE / "ack_server.py"
WARMUP_S, ALERT_WAIT_S = 3.0, 15.0
NOISY_PERCENT = 15.0  # other processes' share of the machine that makes a run suspect


@dataclass
class Run:
    """What one server's segments saw, added up."""

    label: str
    url: str = ""
    acks: dict[str, list[float]] = field(default_factory=lambda: {k: [] for k in KINDS})
    alerts: list[float] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    lag_ms: float = 0.0  # worst delay of the load generator behind its schedule
    missing_alerts: int = 0
    sent: int = 0
    connections: int = 0
    calls: int = 0
    cpu: list[tuple[float, float]] = field(default_factory=list)  # (ours, others) per segment


async def one_request(load: Load, watch: AlertWatch, run: Run, i: int, record: bool) -> None:
    kind = KINDS[i % len(KINDS)]
    number = None
    if kind == SLASH:
        wire, payload = "slash_commands", load.command(i, "help")
    elif kind == QUESTION:
        wire, payload = "slash_commands", load.command(i, QUESTIONS[i // 4 % len(QUESTIONS)])
    elif kind == CLICK:
        wire, click = "interactive", load.click(i)
        if click is None:
            return  # no alert to click yet (the very first requests of the warm-up)
        payload = click
    else:
        wire, (payload, number) = "interactive", load.submission(i)
    sent = time.perf_counter()
    if number is not None:
        watch.sent_at[number] = sent
    try:
        status, body, seconds = await load.send(run.url, wire, payload)
    except (aiohttp.ClientError, TimeoutError) as exc:
        run.failures.append(f"{kind}: {type(exc).__name__}")
        return
    if status != 200 or (wire == "interactive" and body):
        run.failures.append(f"{kind}: HTTP {status} {body[:80]}")
    if record:
        run.acks[kind].append(seconds * 1000)


async def drive(
    load: Load, watch: AlertWatch, run: Run, rate: float, seconds: float, record: bool
) -> set[int]:
    """Open loop: request i goes out at start + i/rate; returns the submissions' numbers."""
    first = load.counter + 1
    count = int(rate * seconds)
    start = time.perf_counter() + 0.05
    tasks = []
    for i in range(count):
        due = start + i / rate
        await asyncio.sleep(max(0.0, due - time.perf_counter()))
        if record:
            run.lag_ms = max(run.lag_ms, (time.perf_counter() - due) * 1000)
        tasks.append(asyncio.create_task(one_request(load, watch, run, i, record)))
    await asyncio.gather(*tasks)
    run.sent += count if record else 0
    return set(range(first, load.counter + 1))


async def start_server(mode: str, database_url: str, api_url: str) -> tuple[Any, str]:
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        str(SERVER),
        *("--mode", mode, "--database-url", database_url, "--api-url", api_url),
        stdin=asyncio.subprocess.PIPE,
        stdout=asyncio.subprocess.PIPE,
    )
    assert proc.stdout is not None
    line = (await asyncio.wait_for(proc.stdout.readline(), 60)).decode().strip()
    if not line.startswith("READY "):
        raise RuntimeError(f"{mode} server did not start: {line!r}")
    return proc, f"http://127.0.0.1:{line.split()[1]}/slack/events"


async def stop_server(proc: Any) -> None:
    assert proc.stdin is not None
    proc.stdin.close()
    try:
        await asyncio.wait_for(proc.wait(), 15)
    except TimeoutError:
        proc.terminate()
        await proc.wait()


@contextmanager
def no_gc_pauses() -> Iterator[None]:
    """No cyclic garbage collection in the load generator and the stand-in while measuring:
    a full collection of this process's heap stalls its loop for 100 ms or more, which would
    be counted against the server being measured (late sends, late answers from "Slack")."""
    gc.collect()
    gc.freeze()
    gc.disable()
    try:
        yield
    finally:
        gc.enable()
        gc.unfreeze()


def _calls(standin: SlackStandin) -> int:
    return len(standin.state.calls) + len(standin.response_url_posts)


async def segment(
    run: Run, pid: int, standin: SlackStandin, load: Load, watch: AlertWatch, args: Any
) -> None:
    """One measured stretch of load on one server; the app's alerts are awaited after it, so
    its delivery is done before the other server's turn."""
    connections, calls = standin.connections, _calls(standin)
    meter = CpuMeter([os.getpid(), pid])
    with no_gc_pauses():
        numbers = await drive(load, watch, run, args.rate, args.segment, record=True)
        share = meter.stop()
        run.cpu.append((share.ours, share.others))
        if numbers:
            run.missing_alerts += len(await watch.wait_for(numbers, ALERT_WAIT_S))
            run.alerts += watch.latencies(numbers)
    if run.label == "app":
        run.connections += standin.connections - connections
        run.calls += _calls(standin) - calls


async def measure(url: str, standin: SlackStandin, watch: AlertWatch, args: Any) -> list[Run]:
    load = Load(standin, await open_template(standin))
    app, bare = Run("app"), Run("bare")
    servers = [await start_server(r.label, url, standin.api_url) for r in (app, bare)]
    (app_proc, app.url), (bare_proc, bare.url) = servers
    pids = {"app": app_proc.pid, "bare": bare_proc.pid}
    connector = aiohttp.TCPConnector(limit=0)
    timeout = aiohttp.ClientTimeout(total=10)
    try:
        async with aiohttp.ClientSession(connector=connector, timeout=timeout) as load.session:
            for run in (app, bare):  # the app's warm-up also posts the alerts clicks need
                warm = await drive(load, watch, Run("warm-up", run.url), args.rate, WARMUP_S, False)
                await watch.wait_for(warm, ALERT_WAIT_S)
            for r in range(args.rounds):
                for run in (app, bare) if r % 2 == 0 else (bare, app):
                    await segment(run, pids[run.label], standin, load, watch, args)
    finally:
        for proc, _ in servers:
            await stop_server(proc)
    return [app, bare]


async def prepare_database(url: str, reports: int) -> float:
    await fresh_database(url)
    async with engine_for(url) as engine:
        return await seed_reports(make_sessions(engine), reports, before=datetime.now(UTC))


async def bench(url: str, args: Any) -> tuple[Run, Run, float]:
    seed_s = await prepare_database(url, args.reports)
    standin = SlackStandin(bench_workspace())
    await standin.start()
    watch = AlertWatch()
    standin.state.calls = CallLog(watch.saw)
    try:
        app, bare = await measure(url, standin, watch, args)
    finally:
        await standin.stop()
    if watch.duplicates:
        app.failures.append(f"{watch.duplicates} alerts posted twice")
    app.failures += [f"Slack answered {e} ({n}×)" for e, n in watch.api_errors.items()]
    return app, bare, seed_s


def report(app: Run, bare: Run, args: Any, db: str, seed_s: float) -> dict[str, Any]:
    figures = figures_of(app, bare, db)
    print(
        f"\n{db}, {args.reports:,} stored reports (seeded in {seed_s:.1f} s); {args.rate:g} "
        f"requests/s, {args.rounds} × {args.segment:g} s a server, alternating, open loop"
    )
    print(table(HEADERS, rows_of(figures)))
    for run in (app, bare):
        others = max((o for _, o in run.cpu), default=float("nan"))
        noisy = " (busy machine: figures skewed)" if others > NOISY_PERCENT else ""
        print(
            f"{run.label}: {run.sent} requests, {len(run.failures)} failed, load generator at "
            f"most {run.lag_ms:.1f} ms behind, others used up to {others:.0f}% of the CPU{noisy}"
        )
        for failure in sorted(set(run.failures))[:5]:
            print(f"  ! {failure}")
    if app.missing_alerts:
        print(f"  ! {app.missing_alerts} alerts never reached the stand-in")
    return figures


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", help="default: a temporary SQLite file")
    parser.add_argument("--reports", type=int, default=100_000)
    parser.add_argument("--rate", type=float, default=20.0, help="requests per second")
    parser.add_argument("--segment", type=float, default=8.0, help="seconds per segment")
    parser.add_argument("--rounds", type=int, default=4, help="segments per server")
    parser.add_argument("--quick", action="store_true", help="10,000 reports, 2 × 3 s")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    if args.quick:
        args.reports, args.segment, args.rounds = min(args.reports, 10_000), 3.0, 2
    with tempfile.TemporaryDirectory() as tmp:
        url = args.database_url or f"sqlite+aiosqlite:///{Path(tmp) / 'bench.db'}"
        app, bare, seed_s = asyncio.run(bench(url, args))
    db = url.split("+")[0].split(":")[0]
    figures = report(app, bare, args, db, seed_s)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 1 if figures["failures"] else 0


if __name__ == "__main__":
    sys.exit(main())
