"""Start-up: time from `kasuhara-bot run` to /healthz 200, and the idle process's memory.

    python bench/bench_startup.py                # 5 starts on SQLite, the first one migrates
    python bench/bench_startup.py --database-url postgresql+asyncpg://postgres@127.0.0.1:5432/DB

The bot runs exactly as an operator starts it (the `kasuhara-bot` script, settings from the
environment, scheduler on), against the local Slack stand-in, in a scratch directory so no
`.env` is read. The first start creates the schema; the others find it at head, with the disk
cache warm: their median is the figure. Idle RSS is read from /proc after the server has sat
idle for a few seconds (the policy matcher has been built in the background by then).
Each warm start is followed by one of `bare_start.py` (the required stack and nothing of the
project: Bolt on aiohttp, a SQLModel engine, /healthz) for the ratio columns.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import signal
import socket
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import aiohttp
from benchlib import fresh_database, table

from bot.demo.harness import BOT_TOKEN, HR, SIGNING_SECRET, SUPERVISORS, demo_workspace
from bot.privacy.crypto import generate_key
from slack_standin import SlackStandin

HEALTHY_S, RSS_MB = 1.0, 100.0
IDLE_S = 4.0
POLL_S = 0.005


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def bot_command() -> list[str]:
    script = Path(sys.executable).with_name("kasuhara-bot")
    return [str(script), "run"] if script.exists() else [sys.executable, "-m", "bot.cli", "run"]


BARE_COMMAND = [sys.executable, str(Path(__file__).with_name("bare_start.py"))]


def environment(api_url: str, database_url: str, port: int) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KASUHARA_"))}
    # An installed app has its bytecode compiled (pip does it): without this, a checkout in a
    # shell that forbids writing it would compile every module of the project at each start.
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    return env | {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "KASUHARA_SUPERVISOR_CHANNEL": SUPERVISORS,
        "KASUHARA_HR_CHANNEL": HR,
        "KASUHARA_DATA_KEY": generate_key(),
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "LOG_LEVEL": "WARNING",
    }


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    return float("nan")


async def one_start(
    env: dict[str, str], workdir: str, idle: bool, command: list[str] | None = None
) -> tuple[float, float, float]:
    """(seconds until /healthz answered 200, RSS then, RSS after idling) of one start of
    `command` (default: `kasuhara-bot run`)."""
    url = f"http://127.0.0.1:{env['PORT']}/healthz"
    started = time.perf_counter()
    log = Path(workdir) / "bot.log"  # its log, shown only if it does not come up
    with log.open("ab") as out:
        proc = await asyncio.create_subprocess_exec(
            *(command or bot_command()), env=env, cwd=workdir, stdout=out, stderr=out
        )
    try:
        async with aiohttp.ClientSession(timeout=aiohttp.ClientTimeout(total=1)) as http:
            while True:
                if proc.returncode is not None:
                    print(log.read_text(errors="replace")[-3000:], file=sys.stderr)
                    raise RuntimeError(f"kasuhara-bot run exited with {proc.returncode}")
                try:
                    async with http.get(url) as resp:
                        if resp.status == 200:
                            break
                except (aiohttp.ClientError, TimeoutError):
                    pass
                await asyncio.sleep(POLL_S)
        healthy = time.perf_counter() - started
        at_start = rss_mb(proc.pid)
        if idle:
            await asyncio.sleep(IDLE_S)
        return healthy, at_start, rss_mb(proc.pid) if idle else float("nan")
    finally:
        proc.send_signal(signal.SIGTERM)
        try:
            await asyncio.wait_for(proc.wait(), 15)
        except TimeoutError:
            proc.kill()
            await proc.wait()


async def bench(database_url: str, starts: int) -> dict[str, Any]:
    if database_url.startswith("postgresql"):
        await fresh_database(database_url)
        from storage.migrate import upgrade

        await upgrade(database_url)  # so that even the first start finds the schema
    async with SlackStandin(demo_workspace()) as standin:
        with tempfile.TemporaryDirectory() as workdir:
            url = database_url or f"sqlite+aiosqlite:///{Path(workdir) / 'bot.db'}"
            env = environment(standin.api_url, url, free_port())
            first = await one_start(env, workdir, idle=False)
            runs, bare = [], []
            for i in range(starts - 1):  # interleaved, so both see the same machine
                runs.append(await one_start(env, workdir, idle=i == 0))
                bare.append(await one_start(env, workdir, idle=i == 0, command=BARE_COMMAND))
    return {
        "bare_healthy_s": statistics.median(r[0] for r in bare),
        "bare_healthy_max_s": max(r[0] for r in bare),
        "bare_rss_idle_mb": bare[0][2],
        "db": url.split("+")[0].split(":")[0],
        "first_s": first[0],
        "healthy_s": statistics.median(r[0] for r in runs),
        "healthy_max_s": max(r[0] for r in runs),
        "rss_healthy_mb": runs[0][1],
        "rss_idle_mb": runs[0][2],
        "starts": starts,
    }


def startup_rows(figures: dict[str, Any]) -> list[list[Any]]:
    """Rows in bench_ack's table columns (value as p50, the slowest warm start as p99); times
    in ms like the rest of that table."""
    db, rss = figures["db"], figures["rss_idle_mb"]
    ms = {k: figures[k] * 1000 for k in ("healthy_s", "healthy_max_s", "first_s")}
    bare = (figures["bare_healthy_s"] * 1000, figures["bare_healthy_max_s"] * 1000)
    bare_rss = figures["bare_rss_idle_mb"]
    blank = ["", "", "", ""]
    return [
        [f"run → /healthz 200, warm, {figures['starts'] - 1} starts", db, ""]
        + [ms["healthy_s"], ms["healthy_max_s"], *bare]
        + [ms["healthy_s"] / bare[0], ms["healthy_max_s"] / bare[1], f"≤ {HEALTHY_S * 1000:g} ms"]
        + ["ok" if figures["healthy_s"] <= HEALTHY_S else "MISS"],
        ["  first start, creating the schema", db, "", ms["first_s"], ""] + [*blank, "", ""],
        [f"idle RSS after {IDLE_S:g} s (MB)", db, "", rss, "", bare_rss, "", rss / bare_rss, ""]
        + [f"≤ {RSS_MB:g} MB", "ok" if rss <= RSS_MB else "MISS"],
        ["  RSS when first healthy (MB)", db, "", figures["rss_healthy_mb"], ""] + [*blank, "", ""],
        ["  of which the policy matcher, built after (MB)", db, ""]
        + [rss - figures["rss_healthy_mb"], "", *blank, "", ""],
    ]


def report(figures: dict[str, Any]) -> None:
    from ack_report import HEADERS  # the same columns as the ack table

    print(f"\nstart-up, {figures['db']}, `{' '.join(bot_command()[-2:])}`")
    print(table(HEADERS, startup_rows(figures)))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", default="", help="default: a SQLite file")
    parser.add_argument("--starts", type=int, default=6)
    parser.add_argument("--quick", action="store_true", help="3 starts")
    parser.add_argument("--json", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    starts = 3 if args.quick else max(2, args.starts)
    figures = asyncio.run(bench(args.database_url, starts))
    report(figures)
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
