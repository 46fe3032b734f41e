"""Stopping the scheduler lets a job under way finish (APScheduler alone would cancel it)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime

from bot.scheduler import GracefulScheduler


async def _scheduler_running(job: object) -> GracefulScheduler:
    scheduler = GracefulScheduler(timezone=UTC)
    scheduler.add_job(job, "interval", hours=1, next_run_time=datetime.now(UTC))
    scheduler.start()
    return scheduler


async def test_a_job_under_way_finishes_within_the_grace() -> None:
    started, release, finished = asyncio.Event(), asyncio.Event(), asyncio.Event()

    async def digest() -> None:
        started.set()
        await release.wait()
        finished.set()

    scheduler = await _scheduler_running(digest)
    await started.wait()
    stopping = asyncio.create_task(scheduler.stop(grace=30))
    await asyncio.sleep(0)  # one turn of the loop: the stop pauses the scheduler, then waits
    assert not stopping.done()
    release.set()
    assert await stopping == 0
    assert finished.is_set()


async def test_a_job_past_the_grace_is_cut_and_counted() -> None:
    started, cancelled = asyncio.Event(), asyncio.Event()

    async def stuck() -> None:
        started.set()
        try:
            await asyncio.Event().wait()
        except asyncio.CancelledError:
            cancelled.set()
            raise

    scheduler = await _scheduler_running(stuck)
    await started.wait()
    assert await scheduler.stop(grace=0.05) == 1
    await asyncio.wait_for(cancelled.wait(), 5)
