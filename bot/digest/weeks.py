"""ISO weeks of the organisation's zone: Monday 00:00 local to the next Monday, held in UTC."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

_WEEK = re.compile(r"^(\d{4})-W(\d{2})$")


@dataclass(frozen=True)
class WeekSpan:
    week: str  # "2026-W48"
    start: datetime  # UTC
    end: datetime  # UTC, exclusive

    def monday(self, zone: ZoneInfo) -> date:
        return self.start.astimezone(zone).date()


def parse_week(text: str) -> str:
    """An ISO week as an operator types it ("2026-W48"); ValueError for anything else."""
    match = _WEEK.match(text.strip().upper())
    if not match:
        raise ValueError(f"not an ISO week such as 2026-W48: {text!r}")
    date.fromisocalendar(int(match[1]), int(match[2]), 1)  # rejects W54 and the like
    return f"{match[1]}-W{match[2]}"


def iso_label(day: date) -> str:
    year, number, _ = day.isocalendar()
    return f"{year}-W{number:02d}"


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    # Built from the local date each time, so a DST week is 167 or 169 hours, as it should be.
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(UTC)


def span_from_monday(monday: date, zone: ZoneInfo) -> WeekSpan:
    end = local_midnight(monday + timedelta(days=7), zone)
    return WeekSpan(iso_label(monday), local_midnight(monday, zone), end)


def week_span(week: str, zone: ZoneInfo) -> WeekSpan:
    year, number = (int(part) for part in parse_week(week).split("-W"))
    return span_from_monday(date.fromisocalendar(year, number, 1), zone)


def week_containing(moment: datetime, zone: ZoneInfo) -> WeekSpan:
    local = moment.astimezone(zone).date()
    return span_from_monday(local - timedelta(days=local.weekday()), zone)


def last_completed_week(now: datetime, zone: ZoneInfo) -> WeekSpan:
    return week_containing(week_containing(now, zone).start - timedelta(seconds=1), zone)
