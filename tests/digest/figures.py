"""DigestFigures built by hand, for the pure formatting tests."""

from __future__ import annotations

import dataclasses
from datetime import date, timedelta
from typing import Any

from bot.digest.figures import DigestFigures, TrendPoint, behaviour_labels
from bot.messages import catalog
from bot.policy.document import load_policy
from tests.digest.seed import TOKYO, jst

CAT = catalog("ja")
LABELS = behaviour_labels(load_policy())


def trend(*counts: int) -> tuple[TrendPoint, ...]:
    first = date(2026, 11, 23) - timedelta(weeks=len(counts) - 1)
    return tuple(
        TrendPoint(f"2026-W{48 - len(counts) + 1 + i}", first + timedelta(weeks=i), n)
        for i, n in enumerate(counts)
    )


def week48(**changes: Any) -> DigestFigures:
    figures = DigestFigures(
        week="2026-W48",
        start=jst(11, 23).astimezone(TOKYO),
        end=jst(11, 30).astimezone(TOKYO),
        as_of=jst(11, 30).astimezone(TOKYO),
        total=6,
        previous=2,
        urgent=2,
        unclassified=1,
        chosen=(2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1),
        suggested=(0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0),
        by_channel={"counter": 2, "phone": 2, "email": 1, "visit": 0, "web": 1, "other": 0},
        ack_count=6,
        ack_median_seconds=1500.0,
        ack_slowest_seconds=601200.0,
        open_by_age=(1, 1, 2, 3),
        open_unacknowledged=2,
        escalations=1,
        help_checkins=1,
        trend=trend(0, 0, 0, 0, 0, 1, 2, 6),
    )
    return dataclasses.replace(figures, **changes)


def empty_week() -> DigestFigures:
    return week48(
        total=0,
        previous=3,
        urgent=0,
        unclassified=0,
        chosen=(0,) * 13,
        suggested=(0,) * 13,
        by_channel={},
        ack_count=0,
        ack_median_seconds=None,
        ack_slowest_seconds=None,
        open_by_age=(0, 0, 0, 0),
        open_unacknowledged=0,
        escalations=0,
        help_checkins=0,
        trend=trend(0, 0, 0, 0, 0, 0, 3, 0),
    )
