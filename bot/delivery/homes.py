"""HOME rows: a person's Home drawn as it is now and published (views.publish).

Changes committing at once can each queue a row for the same person (coalescing sees only
committed rows), so a row claimed before a drawing of that Home began is already shown and is
not published again. At most RENDERS_AT_ONCE Homes are drawn at once: each reads the database
and asks Slack for roles, and a fan-out must not take the pool's connections from people's own
clicks. A refresh Slack refuses for good (Home tab switched off, an unknown user) is dropped:
it is a convenience, and the next opening of that Home shows the truth anyway.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Iterable

from slack_sdk.errors import SlackApiError

from bot.delivery.context import Delivery
from bot.delivery.errors import RETRIES, classify
from bot.delivery.kinds import HOME
from storage.models import OutboxMessage

RENDERS_AT_ONCE = 3
log = logging.getLogger("kasuhara.outbox")


class HomePublisher:
    def __init__(self, ctx: Delivery) -> None:
        self.ctx = ctx
        self._gate = asyncio.Semaphore(RENDERS_AT_ONCE)
        self._claims = 0  # claims seen so far, in this process
        self._claim_of: dict[int, int] = {}  # HOME row id -> the claim it came in
        self._drawn: dict[str, int] = {}  # user -> last claim done before their latest drawing

    def note_claim(self, claimed: Iterable[OutboxMessage]) -> None:
        """Called by the deliverer after each claim of rows."""
        self._claims += 1
        self._claim_of |= {r.id: self._claims for r in claimed if r.kind == HOME and r.id}

    async def publish(self, row: OutboxMessage) -> None:
        """Draw `row.channel`'s Home now and publish it, unless a drawing since covered it."""
        user, claim = row.channel, self._claim_of.pop(row.id or 0, None)
        if self.ctx.home is None:
            log.error("home row %s not published: no Home renderer wired", row.id)
            return
        async with self._gate:
            if claim is not None and self._drawn.get(user, 0) >= claim:
                return
            started = self._claims
            try:
                await self.ctx.gateway.publish_home(user, await self.ctx.home(user))
            except SlackApiError as exc:
                verdict = classify(exc)
                status = verdict.status if verdict else None
                if verdict and (verdict.code in RETRIES or status == 429 or (status or 0) >= 500):
                    raise  # Slack asks for another try: the outbox retries it
                log.warning("home of a user not refreshed: %s", verdict.code if verdict else "?")
                return
            self._drawn[user] = max(self._drawn.get(user, 0), started)
