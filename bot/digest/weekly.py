"""HR's weekly digest: sending the figures of an ISO week exactly once a week.

Once per week: the instance that inserts the week's `digest_run` row sends it; the insert and
the outbox message commit together, so the message is neither lost nor doubled. The chart is
not an outbox kind, so it is uploaded directly after that commit (a crash in between loses the
chart, never the message; `sent_at` stays empty to show it).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING, Any

from slack_sdk.errors import SlackApiError

from bot.delivery.errors import classify, error_code
from bot.delivery.idempotency import claim
from bot.delivery.outbox import POST, enqueue_message
from bot.delivery.slack_io import UploadUnconfirmed
from bot.digest.chart import render_trend
from bot.digest.figures import (
    DigestFigures,
    behaviour_count,
    behaviour_labels,
    compute_figures,
)
from bot.digest.format import cases_csv, period_text, trend_chart
from bot.digest.weeks import (
    WeekSpan,
    last_completed_week,
    week_containing,
)
from bot.messages import Catalog
from bot.services import Services
from storage import digest_queries as q
from storage.audit import add_audit

if TYPE_CHECKING:
    from apscheduler.schedulers.asyncio import AsyncIOScheduler  # types only: loaded later
    from apscheduler.triggers.cron import CronTrigger

JOB_ID = "digest.weekly"
RETRY_JOB_ID = "digest.catch_up"
log = logging.getLogger("kasuhara.digest")

Builder = Callable[[DigestFigures, Catalog, Mapping[int, str]], dict[str, Any]]


async def week_figures(svc: Services, span: WeekSpan) -> DigestFigures:
    async with svc.sessions() as session:
        return await compute_figures(
            session,
            span,
            zone=svc.clock.zone,
            now=svc.clock.now(),
            behaviours=behaviour_count(svc.policy),
        )


async def _hr_channel_safe(svc: Services, week: str) -> bool:
    channel = svc.settings.hr_channel
    try:
        verdict = await svc.gateway.verdict(channel)
    except SlackApiError as exc:
        log.error(
            "digest %s not sent: HR channel %s: %s", week, channel or "-", error_code(exc.response)
        )
        return False
    if not verdict.safe:
        log.error(
            "digest %s not sent: HR channel %s refused (%s)", week, channel or "-", verdict.reason
        )
    return verdict.safe


async def send_digest(svc: Services, span: WeekSpan, *, build: Builder | None = None) -> bool:
    """Send the digest of `span` to HR unless another instance has; True when this one did."""
    if not await _hr_channel_safe(svc, span.week):
        return False
    figures = await week_figures(svc, span)
    message = (
        build(figures, svc.catalog, behaviour_labels(svc.policy))
        if build
        else svc.renderer.digest(figures)
    )
    now = svc.clock.now()
    async with svc.sessions.begin() as session:
        claimed = await q.claim_week(session, week=span.week, now=now, worker=svc.worker_id)
        if claimed:
            await enqueue_message(
                session, now=now, kind=POST, channel=svc.settings.hr_channel, message=message
            )
    if not claimed:
        log.info("digest %s already claimed by another instance", span.week)
        return False
    log.info("digest %s claimed by %s total=%d", span.week, svc.worker_id, figures.total)
    svc.deliverer.kick()
    await _upload_chart(svc, figures)
    return True


async def _upload_chart(svc: Services, figures: DigestFigures) -> None:
    if any(point.count for point in figures.trend):
        cat = svc.catalog
        # Drawn off the event loop: a few hundred ms of CPU would delay Slack's 3 s acks.
        png = await asyncio.to_thread(render_trend, trend_chart(figures, cat))
        await svc.deliverer.wait_idle()  # the figures' message first, then the chart below it
        try:
            await svc.gateway.upload(
                svc.settings.hr_channel,
                content=png,
                filename=cat.t("digest.chart_filename", week=figures.week),
                title=cat.t("digest.chart_name", week=figures.week),
                comment=cat.t("digest.chart_comment"),
            )
        except UploadUnconfirmed as exc:  # may have been shared: not uploaded a second time
            log.warning("digest %s chart upload not confirmed: %s", figures.week, exc.code)
        except Exception as exc:
            if classify(exc) is None:
                raise
            log.error("digest %s chart upload failed: %s", figures.week, type(exc).__name__)
            return
    async with svc.sessions.begin() as session:
        await q.mark_sent(session, week=figures.week, now=svc.clock.now())


async def send_weekly(svc: Services) -> bool:
    """The cron job: the digest of the last completed week."""
    return await send_digest(svc, last_completed_week(svc.clock.now(), svc.clock.zone))


def _trigger(svc: Services) -> CronTrigger:
    from bot.digest.cron import cron_trigger  # APScheduler's cron only when scheduling

    return cron_trigger(svc.settings.digest_cron, svc.settings.zone)


def schedule_digest(scheduler: AsyncIOScheduler, svc: Services) -> None:
    """The weekly cron job, and an hourly catch-up for a run Slack or the database refused.

    Both may run late or twice: the claim makes any repeat harmless.
    """
    scheduler.add_job(
        send_weekly,
        _trigger(svc),
        args=[svc],
        id=JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        misfire_grace_time=None,
    )
    scheduler.add_job(
        catch_up,
        "interval",
        hours=1,
        args=[svc],
        id=RETRY_JOB_ID,
        replace_existing=True,
        max_instances=1,
        coalesce=True,
        # At start too: a week missed while the app was down goes out now.
        next_run_time=datetime.now(svc.settings.zone),
    )


async def catch_up(svc: Services) -> bool:
    """At start: send last week's digest if its scheduled time has passed without one."""
    now = svc.clock.now()
    span = last_completed_week(now, svc.clock.zone)
    due = _trigger(svc).get_next_fire_time(None, span.end.astimezone(svc.clock.zone))
    if due is None or now < due:
        return False
    async with svc.sessions() as session:
        if await q.digest_run(session, week=span.week) is not None:
            return False
    log.info("digest %s was missed (due %s); sending it now", span.week, due.isoformat())
    return await send_digest(svc, span)


async def audit_hr(svc: Services, *, actor: str, action: str, detail: dict[str, Any]) -> None:
    async with svc.sessions.begin() as session:
        await add_audit(session, at=svc.clock.now(), actor_id=actor, action=action, detail=detail)


@dataclass(frozen=True)
class ExportFile:
    week: str
    filename: str
    title: str
    comment: str
    content: bytes
    count: int


async def export_week(svc: Services, *, actor: str, once: str | None = None) -> ExportFile:
    """This week's cases as CSV for an HR member; the access is audited with the read, and
    `once` (the command's delivery key) with it: a replayed command raises AlreadyHandled."""
    span = week_containing(svc.clock.now(), svc.clock.zone)
    async with svc.sessions.begin() as session:
        await claim(session, once, svc.clock.now())
        rows = await q.week_cases(session, start=span.start, end=span.end)
        await add_audit(
            session,
            at=svc.clock.now(),
            actor_id=actor,
            action="hr.export",
            detail={"week": span.week, "rows": len(rows)},
        )
    cat = svc.catalog
    period = period_text(
        cat, span.start.astimezone(svc.clock.zone), span.end.astimezone(svc.clock.zone)
    )
    return ExportFile(
        week=span.week,
        filename=cat.t("export.filename", week=span.week),
        title=cat.t("export.title", week=span.week),
        comment=cat.t("export.comment", period=period, count=len(rows)),
        content=cases_csv(rows, cat, svc.clock.zone),
        count=len(rows),
    )
