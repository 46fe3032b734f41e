"""Run every bench in bench/ one after another and print one table of the figures.

    python bench/run_all.py            # about 6 minutes on the 2-core machine (`make bench`)
    python bench/run_all.py --quick    # smoke versions of all of them
    python bench/run_all.py --full     # the other benches with their own default arguments

Each bench runs as a subprocess, its output shown as it comes. Benches owned elsewhere
(bench_matcher.py, bench_digest.py) are run when present, with their default arguments except
where those alone would blow the budget: bench_digest.py's default includes 1,000,000 reports,
over five minutes of loading here, so it gets `--sizes 100000` unless `--full`.
With KASUHARA_BENCH_PG_URL set, the app benches also run on that PostgreSQL database (its
`public` schema is dropped and recreated, as bench_digest.py does with it).

The table at the end holds every ack figure as a ratio to the bare Bolt app measured in the
same run (bench_ack.py), report → alert, connections per 100 calls to Slack, and start-up
time and idle memory (bench_startup.py), each with its target and verdict; a list after it
says how each bench ended and sums up the others' figures.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ack_report import HEADERS, rows_of
from bench_startup import startup_rows
from benchlib import table

HERE = Path(__file__).resolve().parent
PG_ENV = "KASUHARA_BENCH_PG_URL"


@dataclass(frozen=True)
class Bench:
    script: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ("--quick",)
    ours: bool = True  # writes --json figures for the summary
    pg: bool = True  # also run on KASUHARA_BENCH_PG_URL when set (if ours)

    def command(self, quick: bool, full: bool, extra: tuple[str, ...]) -> list[str]:
        args = self.quick if quick else () if full and not self.ours else self.args
        return [sys.executable, str(HERE / self.script), *args, *extra]


BENCHES = (
    Bench("bench_ack.py"),
    Bench("bench_startup.py"),
    Bench("bench_followups.py"),
    Bench("bench_home.py"),
    Bench("bench_matcher.py", ours=False, quick=()),
    Bench("bench_digest.py", ("--sizes", "100000"), ("--sizes", "20000", "--repeat", "1"), False),
)


@dataclass
class Outcome:
    name: str
    status: str
    seconds: float
    figures: str
    data: dict[str, Any] | None = None


def summary_of(name: str, figures: Any) -> str:
    if name.startswith(("bench_ack", "bench_startup")):
        return "in the table above"
    if name.startswith("bench_followups"):
        return (
            f"{figures['delivered']:,}/{figures['due']:,} sent once in "
            f"{figures['drain_s']:.1f} s ({figures['per_s']:.0f} msgs/s), "
            f"{figures['ratelimited']} 429s"
        )
    if name.startswith("bench_home"):
        return ", ".join(
            f"Home with {r['open']:,} open: p50 {r['p50_ms']:.0f} ms, p99 {r['p99_ms']:.0f} ms"
            for r in figures
        )
    return ""


def run(bench: Bench, args: Any, label: str, extra: tuple[str, ...] = ()) -> Outcome:
    with tempfile.TemporaryDirectory() as tmp:
        figures_path = Path(tmp) / "figures.json"
        json_args = ("--json", str(figures_path)) if bench.ours else ()
        command = bench.command(args.quick, args.full, extra + json_args)
        print(f"\n=== {label}: {' '.join(command[1:])}", flush=True)
        started = time.perf_counter()
        code = subprocess.run(command, check=False).returncode
        seconds = time.perf_counter() - started
        data = json.loads(figures_path.read_text()) if figures_path.exists() else None
        figures = summary_of(bench.script, data) if data else ""
    return Outcome(label, "ok" if code == 0 else f"exit {code}", seconds, figures, data)


def figures_table(outcomes: list[Outcome]) -> str:
    """The one table: ack ratios per database, then start-up."""
    rows: list[list[Any]] = []
    for o in outcomes:
        if o.data and o.name.startswith("bench_ack"):
            rows += rows_of(o.data)
    for o in outcomes:
        if o.data and o.name.startswith("bench_startup"):
            rows += startup_rows(o.data)
    return table(HEADERS, rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    mode = parser.add_mutually_exclusive_group()
    mode.add_argument("--quick", action="store_true", help="smoke versions")
    mode.add_argument("--full", action="store_true", help="others' benches with their defaults")
    args = parser.parse_args(argv)
    pg = os.environ.get(PG_ENV, "")
    outcomes = []
    for bench in BENCHES:
        if not (HERE / bench.script).exists():
            outcomes.append(Outcome(bench.script, "absent", 0.0, ""))
            continue
        outcomes.append(run(bench, args, bench.script))
        if pg and bench.ours and bench.pg:
            label = f"{bench.script} (PostgreSQL)"
            outcomes.append(run(bench, args, label, ("--database-url", pg)))
    load = Path("/proc/loadavg").read_text().split()[:3] if Path("/proc/loadavg").exists() else []
    print(f"\n=== figures (ratios to a bare Bolt app in the same run); load average {load}")
    print(figures_table(outcomes))
    print()
    for o in outcomes:
        print(f"{o.name}: {o.status}, {o.seconds:.0f} s{'; ' + o.figures if o.figures else ''}")
    print(f"total {sum(o.seconds for o in outcomes):.0f} s")
    return 0 if all(o.status in ("ok", "absent") for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
