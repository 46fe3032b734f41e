"""Exactly one digest a week: two instances at once, a missed week at start, an unsafe channel."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator
from datetime import datetime
from types import SimpleNamespace

import pytest
from apscheduler.schedulers.asyncio import AsyncIOScheduler
from sqlmodel import select

from bot.app import create_services
from bot.demo.harness import HR, PUBLIC, Harness, running_harness
from bot.digest.weekly import catch_up, schedule_digest, send_weekly
from bot.services import Services
from storage.models import DigestRun
from tests.digest.seed import TOKYO, jst, seed_week48

MONDAY_NINE = jst(11, 30, 9)


async def _seed(h: Harness) -> None:
    async with h.svc.sessions.begin() as session:
        await seed_week48(session)


async def _runs(svc: Services) -> list[DigestRun]:
    async with svc.sessions() as session:
        return list((await session.exec(select(DigestRun))).all())


def _posts(h: Harness, channel: str = HR) -> list[dict]:
    return [m for m in h.standin.messages(channel) if not m.get("upload")]


def _charts(h: Harness, channel: str = HR) -> list[dict]:
    return [f for f in h.standin.files if f["channel_id"] == channel]


@pytest.fixture
async def second(harness: Harness) -> AsyncIterator[Services]:
    """Another app instance on the same database, as behind a load balancer."""
    svc = create_services(harness.svc.settings, harness.svc.cipher, clock=harness.svc.clock)
    svc.worker_id = "second-instance"
    try:
        yield svc
    finally:
        await svc.deliverer.close()
        await svc.sessions.kw["bind"].dispose()


async def _at(h: Harness, moment: datetime) -> None:
    h.now.moment = moment
    await _seed(h)


async def test_two_instances_firing_together_send_one_digest(
    harness: Harness, second: Services
) -> None:
    await _at(harness, MONDAY_NINE)
    sent = await asyncio.gather(send_weekly(harness.svc), send_weekly(second))
    await harness.settle()
    await second.deliverer.wait_idle()
    assert sorted(sent) == [False, True]
    [post] = _posts(harness)
    assert post["blocks"][0]["text"]["text"].endswith("11月23日(月)〜11月29日(日)")
    assert "*報告件数* 6件" in post["blocks"][1]["text"]["text"]
    [chart] = _charts(harness)
    assert chart["bytes"].startswith(b"\x89PNG") and chart["filename"].endswith("2026-W48.png")
    uploads = [m for m in harness.standin.messages(HR) if m.get("upload")]
    assert float(uploads[0]["ts"]) > float(post["ts"])  # the chart lands under the figures
    [run] = await _runs(harness.svc)
    assert run.week == "2026-W48" and run.sent_at is not None
    assert run.claimed_by in (harness.svc.worker_id, "second-instance")


async def test_a_later_run_of_the_same_week_sends_nothing(harness: Harness) -> None:
    await _at(harness, MONDAY_NINE)
    assert await send_weekly(harness.svc)
    harness.now.advance(hours=3)
    assert not await send_weekly(harness.svc)
    await harness.settle()
    assert len(_posts(harness)) == 1 and len(_charts(harness)) == 1


async def test_missed_week_is_sent_once_at_start(harness: Harness, second: Services) -> None:
    await _at(harness, jst(12, 1, 10))  # Tuesday: Monday 09:00 passed while the app was down
    assert await catch_up(harness.svc)
    assert not await catch_up(harness.svc)
    assert not await catch_up(second)
    await harness.settle()
    assert len(_posts(harness)) == 1 and len(_charts(harness)) == 1
    assert [r.week for r in await _runs(harness.svc)] == ["2026-W48"]


async def test_no_catch_up_before_the_scheduled_time(harness: Harness) -> None:
    await _at(harness, jst(11, 30, 8, 59))
    assert not await catch_up(harness.svc)
    assert await _runs(harness.svc) == []
    harness.now.moment = MONDAY_NINE
    assert await catch_up(harness.svc)


async def test_empty_week_still_gets_a_short_digest_without_a_chart(harness: Harness) -> None:
    harness.now.moment = MONDAY_NINE
    assert await send_weekly(harness.svc)
    await harness.settle()
    [post] = _posts(harness)
    assert "ありませんでした" in post["blocks"][1]["text"]["text"]
    assert _charts(harness) == []
    [run] = await _runs(harness.svc)
    assert run.sent_at is not None


async def test_public_hr_channel_is_refused_and_nothing_claimed(
    database_url: str, caplog: pytest.LogCaptureFixture
) -> None:
    async with running_harness(database_url, start=MONDAY_NINE, KASUHARA_HR_CHANNEL=PUBLIC) as h:
        await _seed(h)
        with caplog.at_level(logging.ERROR, logger="kasuhara.digest"):
            assert not await send_weekly(h.svc)
        await h.settle()
        assert h.standin.messages(PUBLIC) == [] and h.standin.files == []
        assert await _runs(h.svc) == []
    assert "not_private" in caplog.text


async def test_schedule_is_monday_nine_in_tokyo_with_an_hourly_catch_up() -> None:
    settings = SimpleNamespace(digest_cron="0 9 * * mon", zone=TOKYO)
    scheduler = AsyncIOScheduler(timezone=TOKYO)
    schedule_digest(scheduler, SimpleNamespace(settings=settings))  # type: ignore[arg-type]
    jobs = {job.id: job for job in scheduler.get_jobs()}
    assert len(scheduler.get_jobs()) == 2 and set(jobs) == {"digest.weekly", "digest.catch_up"}
    friday = jst(11, 27, 10).astimezone(TOKYO)
    assert jobs["digest.weekly"].trigger.get_next_fire_time(None, friday) == jst(11, 30, 9)


async def test_slack_failing_at_nine_is_retried_by_the_catch_up(harness: Harness) -> None:
    await _at(harness, MONDAY_NINE)
    harness.standin.fail_next("conversations.info", error="internal_error")
    assert not await send_weekly(harness.svc)
    assert await _runs(harness.svc) == []
    harness.now.advance(hours=1)
    assert await catch_up(harness.svc)
    await harness.settle()
    assert len(_posts(harness)) == 1
