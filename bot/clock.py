"""The one place for time: the current instant, the zone, quiet hours, business days."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from functools import lru_cache
from typing import Any, TypeVar
from zoneinfo import ZoneInfo

import jpholiday

T = TypeVar("T")
log = logging.getLogger("kasuhara")
_finishing: set[asyncio.Task[Any]] = set()  # work given up on, left to finish on its own


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass
class Clock:
    """Aware datetimes only; tests pass `now` to move time without waiting on it."""

    zone: ZoneInfo
    quiet_start: time = time(20, 0)
    quiet_end: time = time(8, 0)
    now_fn: Callable[[], datetime] = field(default=utcnow)

    @classmethod
    def from_settings(cls, zone: ZoneInfo, quiet_hours: str) -> Clock:
        start, end = quiet_hours.split("-")
        return cls(
            zone=zone, quiet_start=time.fromisoformat(start), quiet_end=time.fromisoformat(end)
        )

    def now(self) -> datetime:
        return self.now_fn().astimezone(UTC)

    def local(self, moment: datetime, zone: ZoneInfo | None = None) -> datetime:
        return as_utc(moment).astimezone(zone or self.zone)

    def in_quiet_hours(self, moment: datetime, zone: ZoneInfo | None = None) -> bool:
        t = self.local(moment, zone).time()
        if self.quiet_start <= self.quiet_end:
            return self.quiet_start <= t < self.quiet_end
        return t >= self.quiet_start or t < self.quiet_end

    def outside_quiet_hours(self, moment: datetime, zone: ZoneInfo | None = None) -> datetime:
        """The first instant at or after `moment` when a DM may wake somebody."""
        if not self.in_quiet_hours(moment, zone):
            return as_utc(moment)
        local = self.local(moment, zone)
        morning = datetime.combine(local.date(), self.quiet_end, tzinfo=local.tzinfo)
        if morning <= local:
            morning += timedelta(days=1)
        return morning.astimezone(UTC)

    def add_business_days(self, moment: datetime, days: int) -> datetime:
        """Skip weekends and Japanese public holidays, keeping the local time of day."""
        local = self.local(moment)
        day = business_days_after(local.date(), days)
        return datetime.combine(day, local.timetz()).astimezone(UTC)

    def iso_week(self, moment: datetime) -> str:
        year, week, _ = self.local(moment).isocalendar()
        return f"{year}-W{week:02d}"


@lru_cache(maxsize=4096)
def business_days_after(day: date, days: int) -> date:
    """The date `days` business days after `day`. Cached: the Home's queue asks it for every
    open case at each drawing, and each holiday lookup costs."""
    added = 0
    while added < days:
        day += timedelta(days=1)
        if is_business_day(day):
            added += 1
    return day


def is_business_day(day: date) -> bool:
    return day.weekday() < 5 and not jpholiday.is_holiday(day)


def as_utc(moment: datetime) -> datetime:
    """Databases such as SQLite hand back naive datetimes; ours are always stored in UTC."""
    if moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment.astimezone(UTC)


async def within(seconds: float, work: Awaitable[T]) -> T:
    """`work`'s result, or TimeoutError after `seconds` (real time: a deadline Slack keeps).
    The work is not cancelled but left to finish in the background: a database call stuck
    in a driver thread cannot be interrupted, and waiting for its clean-up would overrun the
    deadline. Callers must make finishing late harmless (e.g. a resubmission finds it)."""
    task = asyncio.ensure_future(work)
    try:
        return await asyncio.wait_for(asyncio.shield(task), seconds)
    except TimeoutError:
        _finishing.add(task)
        task.add_done_callback(_finished_late)
        raise


def _finished_late(task: asyncio.Task[Any]) -> None:
    _finishing.discard(task)
    if not task.cancelled() and task.exception() is not None:
        log.warning("work given up on failed later: %s", type(task.exception()).__name__)
