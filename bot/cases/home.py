"""What a person's Home shows, decided by who they are now, and keeping open Homes current.

Roles are asked of Slack each time a Home is built (conversations.members, as for the alert
buttons): supervisors are members of KASUHARA_SUPERVISOR_CHANNEL, HR members of
KASUHARA_HR_CHANNEL; everybody gets their own reports. Open Homes are kept
current by bot/cases/home_refresh.py (RECENT there).
"""

from __future__ import annotations

import asyncio
import logging

from bot.cases.home_types import HomeData, HrWeeks
from bot.cases.lifecycle import reports_of
from bot.cases.queue import supervisor_queue
from bot.delivery.errors import FAILURES
from bot.delivery.render import Message
from bot.digest.weekly import week_figures
from bot.digest.weeks import last_completed_week, week_containing
from bot.services import Services
from storage.home import record_visit, visit_page

OWN_REPORTS = 10
log = logging.getLogger("kasuhara.home")


async def _member(svc: Services, channel: str, user: str) -> bool:
    """A role Slack cannot confirm right now is not granted (the Home shows less, never more)."""
    try:
        return await svc.is_member(channel, user)
    except FAILURES as exc:
        log.warning("membership of %s unknown: %s", channel or "-", type(exc).__name__)
        return False


async def roles(svc: Services, user: str) -> tuple[bool, bool]:
    """(supervisor, HR), asked of Slack now."""
    sup, hr = await asyncio.gather(
        _member(svc, svc.settings.supervisor_channel, user),
        _member(svc, svc.settings.hr_channel, user),
    )
    return sup, hr


async def hr_weeks(svc: Services) -> HrWeeks:
    now, zone = svc.clock.now(), svc.clock.zone
    this_week = await week_figures(svc, week_containing(now, zone))
    last_week = await week_figures(svc, last_completed_week(now, zone))
    return HrWeeks(this_week, last_week)


async def home_data(
    svc: Services, user: str, *, looking: bool = False, page: int | None = None
) -> HomeData:
    """Everything `user`'s Home shows now. `looking`: they have it in front of them (they
    opened it or clicked in it), so case changes in the next RECENT refresh it. `page`: the
    queue page to show and remember (None: the one they were reading)."""
    sup, hr = await roles(svc, user)
    async with svc.sessions.begin() as session:
        if looking:
            now = svc.clock.now()
            page = await record_visit(session, user=user, now=now, supervisor=sup, page=page)
        else:
            page = await visit_page(session, user=user)
    # Three independent reads, each in its own session: side by side, not one after another.
    queue, figures, own = await asyncio.gather(
        supervisor_queue(svc, user, page) if sup else _none(),
        hr_weeks(svc) if hr else _none(),
        reports_of(svc, user, limit=OWN_REPORTS),
    )
    return HomeData(user=user, own=own, queue=queue, hr=figures)


async def _none() -> None:
    return None


async def home_view(svc: Services, user: str) -> Message:
    """`user`'s Home as it is now, for a refresh they did not ask for (the outbox's HOME
    rows): their visit is not renewed, so refreshes stop RECENT after they last looked."""
    return svc.renderer.home(await home_data(svc, user))
