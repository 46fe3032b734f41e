"""What the outbox records after each send: sent, retried later, held for a fix in Slack,
re-sent in a safe form, or (a deleted alert) posted anew. The verdict comes from
bot/delivery/errors.py; what it means for the people waiting, from bot/delivery/holds.py."""

from __future__ import annotations

import json
import logging
from collections.abc import Callable
from datetime import datetime, timedelta
from typing import Any

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.delivery import holds
from bot.delivery.context import Delivery
from bot.delivery.errors import Action, Verdict
from bot.delivery.kinds import ALERT, ALERT_UPDATE, CASE_CONTENT
from bot.delivery.sending import Sender
from bot.delivery.slack_io import ChannelVerdict, dumps
from storage import outbox as rows
from storage.models import OutboxMessage, OutboxStatus
from storage.reports import set_alert_ref

log = logging.getLogger("kasuhara.outbox")
MAX_RETRY_WAIT = timedelta(minutes=5)


class Outcomes:
    """Records outcomes for one worker; `kick` asks for another drain when an outcome queued
    messages that should go out now."""

    def __init__(self, ctx: Delivery, sender: Sender, kick: Callable[[], None]) -> None:
        self.ctx = ctx
        self.sender = sender
        self.kick = kick

    async def failed(self, row: OutboxMessage, verdict: Verdict) -> datetime | None:
        # A 429 is Slack pacing us, routine under load: not an operator's warning.
        level = logging.INFO if verdict.status == 429 else logging.WARNING
        log.log(
            level,
            "send failed id=%s kind=%s action=%s error=%s status=%s attempt=%d",
            row.id,
            row.kind,
            verdict.action,
            verdict.code or "-",
            verdict.status,
            row.attempts,
        )
        if verdict.action == Action.HOLD:
            await self.hold(row, verdict)
        elif verdict.action == Action.FIX:
            await self.fix(row, verdict)
        elif verdict.action == Action.GONE:
            await self.gone(row, verdict)
        else:
            now = self.ctx.clock.now()
            wait = min(rows.delay(row.attempts), MAX_RETRY_WAIT)
            if verdict.retry_after is not None:
                # Slack said when. A 429 was refused unsent: not an attempt, and counting it
                # would only lengthen later waits.
                at = now + timedelta(seconds=verdict.retry_after)
                limited = verdict.status == 429
                await self.finish(
                    row, OutboxStatus.PENDING, error=verdict.code, retry_at=at, count=not limited
                )
                return at if limited else None
            await self.finish(row, OutboxStatus.PENDING, error=verdict.code, retry_at=now + wait)
        return None

    async def hold(self, row: OutboxMessage, verdict: Verdict) -> None:
        """Wait for a fix in Slack, re-checked every KASUHARA_HOLD_RECHECK_SECONDS."""
        if verdict.cause == "channel" and row.kind in CASE_CONTENT:  # after a refusal too
            self.ctx.note_channel(row.channel, ChannelVerdict(row.channel, False, verdict.code))
        now = self.ctx.clock.now()
        again = now + self.ctx.rules.hold_recheck
        first = not (row.last_error or "").startswith(rows.HOLD_PREFIX)
        async with self.ctx.sessions.begin() as session:
            done = await self.record(
                session,
                row,
                OutboxStatus.PENDING,
                error=rows.HOLD_PREFIX + verdict.code,
                retry_at=again,
                count=False,
            )
            if done and first:
                await holds.on_first_hold(self.ctx, session, row, verdict)
        if done and first:
            self.kick()

    async def fix(self, row: OutboxMessage, verdict: Verdict) -> None:
        """Slack refused the message itself: send its safe minimal form. If even that is
        refused, the row is held like any other (re-tried on the schedule, named by /healthz
        and `check`) rather than failed: a report is never given up on."""
        message: dict[str, Any] = json.loads(row.payload or "{}")
        if message.get("_safe"):
            await self.hold(row, Verdict(Action.HOLD, f"safe_form_refused:{verdict.code}"))
            return
        safe = dumps({**message, "_safe": True})
        await self.finish(
            row,
            OutboxStatus.PENDING,
            error=f"fix:{verdict.code}",
            retry_at=self.ctx.clock.now(),
            count=False,
            payload=safe,
        )
        self.kick()

    async def gone(self, row: OutboxMessage, verdict: Verdict) -> None:
        """The alert was deleted in Slack: post it again rather than edit nothing."""
        if row.kind != ALERT_UPDATE or row.case_id is None:
            await self.finish(row, OutboxStatus.FAILED, error=f"gone:{verdict.code}")
            return
        async with self.ctx.sessions.begin() as session:
            if await self.record(
                session, row, OutboxStatus.CANCELLED, error=f"gone:{verdict.code}"
            ):
                actor = json.loads(row.payload or "{}").get("actor")
                await holds.repost_deleted_alert(
                    self.ctx,
                    session,
                    case_id=row.case_id,
                    actor=actor if isinstance(actor, str) else None,
                    deleted_ts=self.sender.edited.pop(row.id or 0, None),
                )
        self.kick()

    async def sent(self, row: OutboxMessage, ts: str | None) -> None:
        async with self.ctx.sessions.begin() as session:
            if row.kind == ALERT and ts is not None and row.case_id is not None:
                await set_alert_ref(session, case_id=row.case_id, channel=row.channel, ts=ts)
            done = await self.record(session, row, OutboxStatus.SENT, ts=ts)
            if row.id in self.sender.not_reached and row.case_id is not None:
                self.sender.not_reached.discard(row.id)
                await holds.on_receipt_not_reached(session, row.case_id)
            told = False
            if done and row.kind == ALERT and row.case_id is not None:
                told = await holds.on_alert_posted(self.ctx, session, row)
        if told:
            self.kick()

    async def finish(self, row: OutboxMessage, status: OutboxStatus, **values: Any) -> bool:
        async with self.ctx.sessions.begin() as session:
            return await self.record(session, row, status, **values)

    async def record(
        self,
        session: AsyncSession,
        row: OutboxMessage,
        status: OutboxStatus,
        *,
        ts: str | None = None,
        error: str | None = None,
        retry_at: datetime | None = None,
        count: bool = True,
        payload: str | None = None,
    ) -> bool:
        assert row.id is not None
        return await rows.finish(
            session,
            message_id=row.id,
            worker=self.ctx.worker_id,
            status=status,
            now=self.ctx.clock.now(),
            result_ts=ts,
            error=error[:200] if error else None,
            retry_at=retry_at,
            undo_attempt=not count,
            payload=payload,
        )
