"""Keeping open Homes current: a case that changes refreshes the Homes people are looking at.

The Homes of supervisors who opened theirs in the last RECENT are refreshed through the
outbox, in the transaction of the change: at most FANOUT_MAX people, one pending publish per
person (coalesced), FANOUT_DELAY after the change so a burst of clicks becomes one
views.publish each. Slack rates views.publish Tier 4 (100+ a minute); the client rides out a
429 by its Retry-After and the outbox retries later still.
"""

from __future__ import annotations

from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery.kinds import HOME
from bot.delivery.outbox import enqueue_message
from storage.home import recent_supervisor_visitors, visited_since

RECENT = timedelta(minutes=30)
FANOUT_MAX = 25
FANOUT_DELAY = timedelta(seconds=2)


async def refresh_homes(
    session: AsyncSession, now: datetime, *, reporter: str | None = None
) -> int:
    """Queue a Home refresh for recent supervisor visitors (and the reporter, if they looked
    lately), in the transaction of the change. Returns how many were queued."""
    since = now - RECENT
    users = list(await recent_supervisor_visitors(session, since=since, limit=FANOUT_MAX))
    if (
        reporter
        and reporter not in users
        and await visited_since(session, user=reporter, since=since)
    ):
        users.append(reporter)
    # In user order: two changes committing at once lock the pending rows they coalesce into
    # in the same order, so they wait for each other instead of deadlocking.
    for user in sorted(users):
        await enqueue_message(
            session,
            now=now,
            kind=HOME,
            channel=user,
            not_before=now + FANOUT_DELAY,
            coalesce_key=f"home:{user}",
        )
    return len(users)
