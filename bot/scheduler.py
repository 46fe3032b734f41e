"""APScheduler 3.x jobs, started inside the running loop. Jobs are plain async functions."""

from __future__ import annotations

from datetime import datetime

from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.cases.followup_jobs import run_due_followups
from bot.digest.weekly import schedule_digest
from bot.privacy.retention import schedule_retention
from bot.services import Services

OUTBOX_SECONDS = 10
FOLLOWUP_SECONDS = 30


async def drain_outbox(svc: Services) -> None:
    await svc.deliverer.drain()


def _every(
    scheduler: AsyncIOScheduler, func: object, seconds: int, svc: Services, job_id: str
) -> None:
    scheduler.add_job(
        func,
        "interval",
        seconds=seconds,
        args=[svc],
        id=job_id,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        # First run at start: whatever fell due while the app was down goes out now.
        next_run_time=datetime.now(svc.settings.zone),
    )


def start_scheduler(svc: Services) -> AsyncIOScheduler:
    scheduler = AsyncIOScheduler(timezone=svc.settings.zone)
    _every(scheduler, drain_outbox, OUTBOX_SECONDS, svc, "outbox.drain")
    _every(scheduler, run_due_followups, FOLLOWUP_SECONDS, svc, "followups.due")
    schedule_digest(scheduler, svc)
    schedule_retention(scheduler, svc)
    scheduler.start()
    return scheduler
