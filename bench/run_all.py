"""Run every bench in bench/ one after another and print a summary table.

    python bench/run_all.py            # about 4 minutes on the 2-core machine (`make bench`)
    python bench/run_all.py --quick    # smoke versions of all of them
    python bench/run_all.py --full     # the other benches with their own default arguments

Each bench runs as a subprocess, its output shown as it comes. Benches owned elsewhere
(bench_matcher.py, bench_digest.py) are run when present, with their default arguments except
where those alone would blow the budget: bench_digest.py's default includes 1,000,000 reports,
over five minutes of loading here, so it gets `--sizes 100000` unless `--full`.
With KASUHARA_BENCH_PG_URL set, the app benches also run on that PostgreSQL database (its
`public` schema is dropped and recreated, as bench_digest.py does with it).
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

from benchlib import table

HERE = Path(__file__).resolve().parent
PG_ENV = "KASUHARA_BENCH_PG_URL"


@dataclass(frozen=True)
class Bench:
    script: str
    args: tuple[str, ...] = ()
    quick: tuple[str, ...] = ("--quick",)
    ours: bool = True  # writes --json figures for the summary

    def command(self, quick: bool, full: bool, extra: tuple[str, ...]) -> list[str]:
        args = self.quick if quick else () if full and not self.ours else self.args
        return [sys.executable, str(HERE / self.script), *args, *extra]


BENCHES = (
    Bench("bench_ack.py"),
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


def summary_of(name: str, figures: Any) -> str:
    if name.startswith("bench_ack"):
        parts = [
            f"{kind.split()[0]} p99 {figures[kind]['p99_ms']:.0f} ms"
            f" ({figures[kind]['p99_ms'] / figures[kind]['bare_p99_ms']:.1f}× bare)"
            for kind in ("slash command", "view submission")
        ]
        parts.append(f"alert p99 {figures['alert']['p99_ms']:.0f} ms")
        return f"{figures['db']}: " + ", ".join(parts)
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
        figures = ""
        if figures_path.exists():
            figures = summary_of(bench.script, json.loads(figures_path.read_text()))
    return Outcome(label, "ok" if code == 0 else f"exit {code}", seconds, figures)


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
        if pg and bench.ours:
            label = f"{bench.script} (PostgreSQL)"
            outcomes.append(run(bench, args, label, ("--database-url", pg)))
    rows: list[list[Any]] = [[o.name, o.status, o.seconds, o.figures] for o in outcomes]
    print("\n" + table(["bench", "status", "seconds", "figures"], rows))
    print(f"total {sum(o.seconds for o in outcomes):.0f} s")
    return 0 if all(o.status in ("ok", "absent") for o in outcomes) else 1


if __name__ == "__main__":
    sys.exit(main())
