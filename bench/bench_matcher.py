"""Benchmark the policy matcher: load time, answer latency, memory, and tokenizer comparison.

    python bench/bench_matcher.py                        # the default (character) analyzer
    python bench/bench_matcher.py --analyzer fugashi     # one analyzer
    python bench/bench_matcher.py --compare-tokenizers   # the table in bot/policy/TOKENIZERS.md

Each analyzer is measured in a fresh interpreter so load time and memory are not shared.
"""

from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import time
import tracemalloc
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
DEV = REPO.parent / "shared" / "qa" / "dev.jsonl"
HELDOUT = REPO / "tests" / "policy" / "heldout.jsonl"
ORGS = REPO / "tests" / "policy" / "orgs"
UNSEEN = REPO / "tests" / "policy" / "unseen"
ANALYZERS = ("chars", "sudachi", "fugashi")


def rss_mb() -> float:
    """Current resident set size (Linux /proc; 0 elsewhere)."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
    except (OSError, IndexError, ValueError):
        return 0.0
    return pages * 4096 / 2**20


def questions() -> list[str]:
    texts = []
    fresh = sorted((REPO / "tests" / "policy").glob("fresh*.jsonl"))
    for path in (DEV, HELDOUT, *fresh):
        if path.exists():
            texts += [json.loads(line)["q"] for line in path.read_text().splitlines() if line]
    return texts


def other_policies(repeat: int) -> list[dict[str, float | str]]:
    """Load time, p99 and scores on each organisation's batches (their text only)."""
    from bot.policy.document import load_policy
    from bot.policy.evaluate import evaluate
    from bot.policy.matcher import PolicyMatcher

    rows: list[dict[str, float | str]] = []
    for policy in sorted([*ORGS.glob("*.json"), *UNSEEN.glob("*.json")]):
        start = time.perf_counter()
        matcher = PolicyMatcher(load_policy(policy))
        load_s = time.perf_counter() - start
        for batch in sorted(policy.parent.glob(f"{policy.stem}.batch*.jsonl")):
            texts = [json.loads(line)["q"] for line in batch.read_text().splitlines() if line]
            latencies = _latencies(matcher, texts * repeat)
            report = evaluate(batch, matcher)
            row: dict[str, float | str] = {"batch": batch.stem, "load_s": load_s}
            row["p99_ms"] = statistics.quantiles(latencies, n=100)[98]
            row |= _scores("org", report)
            row["org_recall"] = report.in_scope["all"].recall_at_3
            if report.suggestions:
                row["org_main"] = report.suggestions.main_suggested
                row["org_any"] = report.suggestions.any_right
            rows.append(row)
    return rows


def measure(analyzer: str, repeat: int) -> dict[str, float | str]:
    sys.path.insert(0, str(REPO))
    from bot.policy.document import load_policy
    from bot.policy.evaluate import evaluate
    from bot.policy.matcher import PolicyMatcher

    before = rss_mb()
    start = time.perf_counter()
    matcher = PolicyMatcher(load_policy(None), analyzer=analyzer)
    load_s = time.perf_counter() - start
    loaded = rss_mb()
    # A second build under tracemalloc: Python-level allocation peak (tracing slows it down).
    tracemalloc.start()
    PolicyMatcher(load_policy(None), analyzer=analyzer)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    latencies = _latencies(matcher, questions() * repeat)
    result: dict[str, float | str] = {
        "analyzer": analyzer,
        "load_s": load_s,
        "p50_ms": statistics.median(latencies),
        "p99_ms": statistics.quantiles(latencies, n=100)[98],
        "rss_growth_mb": rss_mb() - before,
        "rss_load_mb": loaded - before,
        "py_peak_mb": peak / 2**20,
        "answers": len(latencies),
    }
    for name, path in (("dev", DEV), ("heldout", HELDOUT)):
        if path.exists():
            result |= _scores(name, evaluate(path, matcher))
    if analyzer == "chars":
        result["orgs"] = json.dumps(other_policies(max(1, repeat // 4)))
    return result


def _latencies(matcher: object, texts: list[str]) -> list[float]:
    answer = matcher.answer  # type: ignore[attr-defined]
    latencies = []
    for text in texts:
        start = time.perf_counter()
        answer(text)
        latencies.append((time.perf_counter() - start) * 1000)
    return latencies


def print_orgs(rows: list[dict[str, float | str]]) -> None:
    print(
        "| batch | top-1 ja | top-1 en | right among quoted | OOS declined "
        "| main suggested | one right | load | p99 |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        pct = [f"{float(r.get(k, 0.0)):.1%}" for k in _ORG_KEYS]
        print(
            f"| {r['batch']} | {' | '.join(pct)} | {float(r['load_s']) * 1000:.0f} ms "
            f"| {float(r['p99_ms']):.2f} ms |"
        )


_ORG_KEYS = ("org_top1_ja", "org_top1_en", "org_recall", "org_declined", "org_main", "org_any")


def _scores(name: str, report: object) -> dict[str, float]:
    in_scope = report.in_scope  # type: ignore[attr-defined]
    return {
        f"{name}_top1_ja": in_scope["ja"].top1,
        f"{name}_top1_en": in_scope["en"].top1,
        f"{name}_declined": report.out_of_scope_declined,  # type: ignore[attr-defined]
        f"{name}_wrong_declines": in_scope["all"].wrongful_declines,
    }


def run_isolated(analyzer: str, repeat: int) -> dict[str, float | str]:
    command = [sys.executable, __file__, "--analyzer", analyzer, "--repeat", str(repeat), "--json"]
    done = subprocess.run(command, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        reason = done.stderr.strip().splitlines()[-1:] or ["failed"]
        return {"analyzer": analyzer, "error": reason[0]}
    return json.loads(done.stdout)


def print_single(r: dict[str, float | str]) -> None:
    print(f"analyzer            {r['analyzer']}")
    print(f"load                {float(r['load_s']) * 1000:.0f} ms")
    print(f"answers timed       {r['answers']}")
    print(f"latency p50 / p99   {float(r['p50_ms']):.2f} / {float(r['p99_ms']):.2f} ms")
    growth, at_load = float(r["rss_growth_mb"]), float(r["rss_load_mb"])
    print(f"RSS growth          {growth:.1f} MB (after load: {at_load:.1f} MB)")
    print(f"python peak (load)  {float(r['py_peak_mb']):.1f} MB")
    for key in sorted(k for k in r if "top1" in k or "declin" in k):
        print(f"{key:<19} {float(r[key]):.1%}")
    if "orgs" in r:
        print("\nother organisations' policies, their text only (tests/policy/orgs and unseen):")
        print_orgs(json.loads(str(r["orgs"])))


def print_table(rows: list[dict[str, float | str]]) -> None:
    print(
        "| analyzer | dev top-1 ja | dev top-1 en | dev OOS declined | held-out top-1 ja "
        "| held-out top-1 en | held-out OOS declined | load | p99 | RSS growth |"
    )
    print("|---|---|---|---|---|---|---|---|---|---|")
    for r in rows:
        if "error" in r:
            print(f"| {r['analyzer']} | not available: {r['error']} |||||||||")
            continue
        pct = [f"{float(r[k]):.1%}" for k in _TABLE_KEYS]
        print(
            f"| {r['analyzer']} | {' | '.join(pct)} | {float(r['load_s']) * 1000:.0f} ms "
            f"| {float(r['p99_ms']):.2f} ms | {float(r['rss_growth_mb']):.0f} MB |"
        )


_TABLE_KEYS = (
    "dev_top1_ja",
    "dev_top1_en",
    "dev_declined",
    "heldout_top1_ja",
    "heldout_top1_en",
    "heldout_declined",
)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--analyzer", choices=ANALYZERS, default="chars")
    parser.add_argument("--repeat", type=int, default=20, help="passes over the questions")
    parser.add_argument("--compare-tokenizers", action="store_true")
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.compare_tokenizers:
        print_table([run_isolated(name, args.repeat) for name in ANALYZERS])
    elif args.json:
        print(json.dumps(measure(args.analyzer, args.repeat)))
    else:
        print_single(run_isolated(args.analyzer, args.repeat))


if __name__ == "__main__":
    main()
