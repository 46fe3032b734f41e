"""Crontab strings as operators write them, read the way cron reads them."""

from __future__ import annotations

import re
from zoneinfo import ZoneInfo

from apscheduler.triggers.cron import CronTrigger

_DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat", "sun")


def _weekday_names(field: str) -> str:
    # APScheduler counts weekdays from Monday = 0; crontab from Sunday = 0 (and 7).
    return re.sub(
        r"\d+", lambda m: _DAYS[int(m.group())] if int(m.group()) <= 7 else m.group(), field
    )


def cron_trigger(expression: str, zone: ZoneInfo) -> CronTrigger:
    """`0 9 * * 1` and `0 9 * * mon` both mean Monday 09:00, as in crontab(5)."""
    fields = expression.split()
    if len(fields) != 5:
        raise ValueError(f"a crontab line has 5 fields, got {len(fields)}")
    minute, hour, day, month, weekday = fields
    return CronTrigger(
        minute=minute,
        hour=hour,
        day=day,
        month=month,
        day_of_week=_weekday_names(weekday),
        timezone=zone,
    )
