"""bench_ack.py's figures: ratios to the bare app, verdicts against issue 15's targets, and
the table rows run_all.py prints too."""

from __future__ import annotations

from typing import Any

from ack_load import CLICK, KINDS, QUESTION, SLASH, SUBMIT
from benchlib import percentile

# Ratio targets (p50, p99) to the bare app, from issue 15; report → alert from the README.
TARGETS = {SLASH: (1.2, 1.4), QUESTION: (1.2, 1.4), CLICK: (1.3, 1.5), SUBMIT: (1.5, 1.8)}
ALERT_P99_MS, CONNECTIONS_PER_100 = 500.0, 2.0


def _ratio(ours: float, theirs: float) -> float:
    return ours / theirs if theirs > 0 else float("nan")


def figures_of(app: Any, bare: Any, db: str) -> dict[str, Any]:
    """Everything report() prints, as plain data (also what run_all.py reads)."""
    figures: dict[str, Any] = {"db": db, "kinds": {}}
    for kind in KINDS:
        ours, base = app.acks[kind], bare.acks[kind]
        p50, p99, b50, b99 = (percentile(values, q) for values in (ours, base) for q in (50, 99))
        figures["kinds"][kind] = {
            "n": len(ours),
            "p50_ms": p50,
            "p99_ms": p99,
            "bare_p50_ms": b50,
            "bare_p99_ms": b99,
            "x_p50": _ratio(p50, b50),
            "x_p99": _ratio(p99, b99),
            "target": TARGETS[kind],
        }
    figures["alert"] = {
        "n": len(app.alerts),
        "p50_ms": percentile(app.alerts, 50),
        "p99_ms": percentile(app.alerts, 99),
        "missing": app.missing_alerts,
    }
    figures["connections"] = {
        "opened": app.connections,
        "calls": app.calls,
        "per_100": 100 * app.connections / app.calls if app.calls else float("nan"),
    }
    others = [o for run in (app, bare) for _, o in run.cpu]
    figures["cpu_others_percent"] = max(others) if others else float("nan")
    figures["failures"] = len(app.failures) + len(bare.failures) + app.missing_alerts
    return figures


def verdict(ok: bool) -> str:
    return "ok" if ok else "MISS"


def rows_of(figures: dict[str, Any]) -> list[list[Any]]:
    """Table rows: one per kind, then report → alert and connections (shared with run_all)."""
    db, rows = figures["db"], []
    for kind, f in figures["kinds"].items():
        t50, t99 = f["target"]
        rows.append(
            [f"ack: {kind}", db, f["n"], f["p50_ms"], f["p99_ms"], f["bare_p50_ms"]]
            + [f["bare_p99_ms"], f["x_p50"], f["x_p99"], f"≤ {t50}× / ≤ {t99}×"]
            + [verdict(f["x_p50"] <= t50 and f["x_p99"] <= t99)]
        )
    a, c = figures["alert"], figures["connections"]
    ok = a["p99_ms"] <= ALERT_P99_MS and not a["missing"]
    rows.append(
        ["report → alert", db, a["n"], a["p50_ms"], a["p99_ms"], "", "", "", ""]
        + [f"p99 ≤ {ALERT_P99_MS:g} ms", verdict(ok)]
    )
    rows.append(
        [f"connections / 100 calls ({c['opened']}/{c['calls']})", db, "", c["per_100"]]
        + ["", "", "", "", "", f"≤ {CONNECTIONS_PER_100:g}"]
        + [verdict(c["per_100"] <= CONNECTIONS_PER_100)]
    )
    return rows


HEADERS = ["measure (ms unless said)", "db", "n", "p50", "p99", "bare p50", "bare p99"]
HEADERS += ["×p50", "×p99", "target", ""]
