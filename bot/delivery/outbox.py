"""Durable delivery: rows written with the change that causes them, sent after commit.

A claimed row is leased to its sender; the lease is renewed while the sender lives, so a row
is never sent twice, and a dead sender's rows are taken over when the lease runs out. Nothing
sleeps on a claimed row: a long Retry-After releases the row with a not-before time. What
Slack's answer means is decided once, in bot/delivery/errors.py; what that means for the
people waiting, in bot/delivery/holds.py.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections import defaultdict
from datetime import datetime, timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery.context import Delivery
from bot.delivery.errors import Action, Verdict, classify
from bot.delivery.kinds import (
    ALERT,
    ALERT_PART,
    ALERT_UPDATE,
    CASE_CONTENT,
    DM,
    POST,
    RECEIPT,
    STAFF_DM,
    THREAD,
)
from bot.delivery.outcomes import Outcomes
from bot.delivery.render import Message
from bot.delivery.sending import Sender
from bot.delivery.signals import ChannelRefused, Deferred, Unreadable
from bot.delivery.slack_io import ChannelVerdict, dumps
from storage import outbox as rows
from storage.models import OutboxMessage, OutboxStatus

__all__ = [
    "ALERT",
    "ALERT_PART",
    "ALERT_UPDATE",
    "CASE_CONTENT",
    "DM",
    "POST",
    "RECEIPT",
    "STAFF_DM",
    "THREAD",
    "Deliverer",
    "enqueue_message",
]
log = logging.getLogger("kasuhara.outbox")
MAX_RETRY_WAIT = timedelta(minutes=5)


async def enqueue_message(
    session: AsyncSession,
    *,
    now: datetime,
    kind: str,
    channel: str,
    case_id: int | None = None,
    message: Message | None = None,
    not_before: datetime | None = None,
    coalesce_key: str | None = None,
) -> None:
    """Add a message to send after the caller's transaction commits. `message` is a Block Kit
    message, or for kinds rendered at send time (alerts, receipts) their small payload."""
    await rows.enqueue(
        session,
        now=now,
        kind=kind,
        channel=channel,
        case_id=case_id,
        payload=dumps(message or {}),
        not_before=not_before,
        coalesce_key=coalesce_key,
    )


class Deliverer:
    """Sends due outbox rows, one channel's rows in order. Built by the composition root with
    exactly what sending needs (bot/delivery/context.py), not the services bundle."""

    def __init__(self, ctx: Delivery) -> None:
        self.ctx = ctx
        self.sender = Sender(ctx)
        self.outcomes = Outcomes(ctx, self.sender, self.kick)
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._closed = False

    @property
    def problems(self) -> dict[str, str]:
        return self.ctx.problems

    def note_channel(self, channel: str, verdict: ChannelVerdict) -> None:
        self.ctx.note_channel(channel, verdict)

    def note_user(self, user: str, problem: str | None) -> None:
        self.ctx.note_user(user, problem)

    def kick(self) -> None:
        """Ask for a drain soon; called after a commit that added rows."""
        if self._closed:  # stopping: what is pending waits in the outbox for the next start
            return
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._wake.is_set():
            self._wake.clear()
            try:
                await self.drain()
            except Exception:  # the database is away: the periodic drain tries again
                log.exception("outbox drain failed")
                return

    async def wait_idle(self) -> None:
        while self._task is not None and not self._task.done():
            await self._task

    async def close(self, grace: float = 0.0) -> None:
        """Stop sending. The drain under way may go on for up to `grace` seconds first; what
        is left stays in the outbox: its lease lapses and the next start (or another instance)
        sends it, and a send cut half-way is found by its metadata instead of posted again."""
        self._closed = True
        task = self._task
        if task is None:
            return
        if grace > 0 and not task.done():
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(asyncio.shield(task), grace)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)

    @property
    def lease(self) -> timedelta:
        return self.ctx.lease

    async def drain(self, limit: int = 100) -> int:
        """Send everything due now; returns how many rows were handled."""
        handled = 0
        while True:
            async with self.ctx.sessions.begin() as session:
                claimed = list(
                    await rows.claim_due(
                        session,
                        now=self.ctx.clock.now(),
                        worker=self.ctx.worker_id,
                        limit=limit,
                        lease=self.lease,
                    )
                )
            if not claimed:
                return handled
            self.sender.homes.note_claim(claimed)
            await self._send_batch(claimed)
            handled += len(claimed)

    async def _send_batch(self, claimed: list[OutboxMessage]) -> None:
        in_flight = {row.id for row in claimed if row.id is not None}
        heartbeat = asyncio.get_running_loop().create_task(self._heartbeat(in_flight))
        by_channel: dict[str, list[OutboxMessage]] = defaultdict(list)
        receipts: dict[str, list[OutboxMessage]] = defaultdict(list)
        for row in claimed:
            (receipts if row.kind == RECEIPT else by_channel)[row.channel].append(row)
        try:
            # Receipts last: they say whether the alerts claimed with them were posted.
            for group in (by_channel, receipts):
                await asyncio.gather(
                    *(self._send_serially(batch, in_flight) for batch in group.values())
                )
        finally:
            heartbeat.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await heartbeat

    async def _heartbeat(self, in_flight: set[int]) -> None:
        """Renew the lease of the rows still being sent, every third of the lease (real
        seconds: the lease protects against real time passing, whatever the clock says)."""
        while in_flight:
            await asyncio.sleep(self.lease.total_seconds() / 3)
            try:
                async with self.ctx.sessions.begin() as session:
                    await rows.renew(
                        session,
                        ids=sorted(in_flight),
                        worker=self.ctx.worker_id,
                        until=self.ctx.clock.now() + self.lease,
                    )
            except Exception:  # the next beat tries again; the lease is three beats long
                log.warning("outbox lease renewal failed", exc_info=True)

    async def _send_serially(self, batch: list[OutboxMessage], in_flight: set[int]) -> None:
        # One channel's messages go in order, so a thread line never lands before its alert.
        pause: datetime | None = None
        for row in batch:
            assert row.id is not None
            try:
                if pause is not None:  # the channel is rate limited: the rest waits too
                    await self.outcomes.finish(
                        row, OutboxStatus.PENDING, retry_at=pause, count=False
                    )
                else:
                    pause = await self._deliver(row)
            except Exception:  # never let one row stop the others (the lease frees it)
                log.exception("outbox row %s could not be finished", row.id)
            finally:
                in_flight.discard(row.id)

    async def _deliver(self, row: OutboxMessage) -> datetime | None:
        """Send one row and record the outcome; returns a not-before time for the rest of
        its channel when Slack asked us to slow down."""
        try:
            ts = await self.sender.send(row)
        except Deferred as wait:
            until = wait.until or self.ctx.clock.now() + timedelta(seconds=5)
            await self.outcomes.finish(row, OutboxStatus.PENDING, retry_at=until, count=False)
        except ChannelRefused as refused:
            await self.outcomes.hold(row, Verdict(Action.HOLD, refused.reason))
        except Unreadable:
            await self.outcomes.hold(row, Verdict(Action.HOLD, "data_key"))
        except Exception as exc:
            verdict = classify(exc)
            if verdict is None:
                log.exception("send failed id=%s kind=%s: bug", row.id, row.kind)
                verdict = Verdict(Action.RETRY, type(exc).__name__)
            return await self.outcomes.failed(row, verdict)
        else:
            await self.outcomes.sent(row, ts)
        return None
