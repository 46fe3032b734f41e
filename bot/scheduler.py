"""APScheduler 3.x jobs, started inside the running loop. Jobs are plain async functions."""

from __future__ import annotations

import asyncio
import contextlib
from datetime import datetime
from typing import Any

from apscheduler.events import EVENT_JOB_ERROR, EVENT_JOB_EXECUTED, EVENT_JOB_SUBMITTED, JobEvent
from apscheduler.schedulers.asyncio import AsyncIOScheduler

from bot.cases.followup_jobs import run_due_followups
from bot.digest.weekly import schedule_digest
from bot.privacy.retention import schedule_retention
from bot.services import Services

OUTBOX_SECONDS = 10
FOLLOWUP_SECONDS = 30


class GracefulScheduler(AsyncIOScheduler):  # type: ignore[misc]  # APScheduler 3 is untyped
    """An AsyncIOScheduler that can stop without cutting a job short. APScheduler's asyncio
    executor cancels the jobs still running when the scheduler shuts down (a digest half
    sent, a follow-up half done), so `stop` first pauses it and waits for them."""

    def __init__(self, **options: Any) -> None:
        super().__init__(**options)
        self._running = 0
        self._idle = asyncio.Event()
        self._idle.set()
        self.add_listener(self._job_started, EVENT_JOB_SUBMITTED)
        self.add_listener(self._job_ended, EVENT_JOB_EXECUTED | EVENT_JOB_ERROR)

    def _job_started(self, _: JobEvent) -> None:
        self._running += 1
        self._idle.clear()

    def _job_ended(self, _: JobEvent) -> None:
        self._running = max(0, self._running - 1)
        if not self._running:
            self._idle.set()

    async def stop(self, grace: float) -> int:
        """No new runs; the jobs running get up to `grace` seconds; then shut down. Returns
        how many jobs were still running (and were cancelled)."""
        self.pause()
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._idle.wait(), grace)
        left = self._running
        self.shutdown(wait=False)
        return left


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


def start_scheduler(svc: Services) -> GracefulScheduler:
    scheduler = GracefulScheduler(timezone=svc.settings.zone)
    _every(scheduler, drain_outbox, OUTBOX_SECONDS, svc, "outbox.drain")
    _every(scheduler, run_due_followups, FOLLOWUP_SECONDS, svc, "followups.due")
    schedule_digest(scheduler, svc)
    schedule_retention(scheduler, svc)
    scheduler.start()
    return scheduler
