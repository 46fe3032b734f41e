"""ISO weeks in the organisation's zone, including one with a daylight-saving change."""

from __future__ import annotations

from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.digest.weeks import last_completed_week, parse_week, week_containing, week_span
from tests.digest.seed import TOKYO, jst


def test_parse_week() -> None:
    assert parse_week(" 2026-w48 ") == "2026-W48"
    for bad in ("2026-48", "2026-W54", "W48", ""):
        with pytest.raises(ValueError):
            parse_week(bad)


def test_sunday_night_and_monday_midnight_are_different_weeks() -> None:
    assert week_containing(jst(11, 29, 23, 59), TOKYO).week == "2026-W48"
    assert week_containing(jst(11, 30), TOKYO).week == "2026-W49"


def test_last_completed_week() -> None:
    assert last_completed_week(jst(11, 30), TOKYO).week == "2026-W48"
    assert last_completed_week(jst(11, 29, 23, 59), TOKYO).week == "2026-W47"
    assert last_completed_week(jst(1, 5, 9), TOKYO) == week_span("2026-W01", TOKYO)


def test_year_boundary_week() -> None:
    span = week_span("2026-W01", TOKYO)
    assert span.start == datetime(2025, 12, 28, 15, tzinfo=UTC)


def test_daylight_saving_week_is_local_midnight_to_midnight() -> None:
    london = ZoneInfo("Europe/London")
    span = week_span("2026-W13", london)  # clocks go forward on Sunday 29 March 2026
    assert span.start.astimezone(london).hour == 0 and span.end.astimezone(london).hour == 0
    assert (span.end - span.start).total_seconds() == 167 * 3600
