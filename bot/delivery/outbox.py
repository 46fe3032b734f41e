"""Durable delivery: rows written with the change that causes them, sent after commit.

Alerts and their edits are rendered when sent, from the case as it is then, so a burst of
clicks becomes one `chat.update` that shows the truth.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections import defaultdict
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from slack_sdk.errors import SlackApiError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.domain import CaseView
from bot.cases.view import to_view
from bot.clock import Clock
from bot.delivery.render import Message, Renderer
from bot.delivery.slack_io import SlackGateway, case_metadata, dumps, message_metadata
from bot.privacy.crypto import Cipher
from storage import outbox as rows
from storage.db import Sessions
from storage.models import OutboxMessage, OutboxStatus
from storage.reports import get_report, set_alert_ref

ALERT = "alert"
ALERT_UPDATE = "alert_update"
THREAD = "thread"
DM = "dm"
STAFF_DM = "staff_dm"  # a DM that waits out quiet hours in the recipient's own time zone
POST = "post"
CASE_CONTENT = (ALERT, ALERT_UPDATE, THREAD)
MAX_ATTEMPTS = 12
# Errors that another try cannot fix: the message itself is wrong.
PERMANENT = {
    "invalid_blocks",
    "invalid_arguments",
    "msg_too_long",
    "no_text",
    "invalid_auth",
    "account_inactive",
    "token_revoked",
    "user_not_found",
    "cannot_dm_bot",
}
log = logging.getLogger("kasuhara.outbox")


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


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else default
    except (ZoneInfoNotFoundError, ValueError):
        return default


class Deferred(Exception):
    """Not an error: the message waits for something (its alert, or the morning)."""

    def __init__(self, until: datetime | None = None) -> None:
        super().__init__("deferred")
        self.until = until


class ChannelRefused(Exception):
    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Deliverer:
    """Sends due outbox rows, one channel's rows in order. Built by the composition root with
    exactly what sending needs, so delivery does not depend on the services bundle."""

    def __init__(
        self,
        *,
        sessions: Sessions,
        clock: Clock,
        gateway: SlackGateway,
        renderer: Renderer,
        cipher: Cipher,
        worker_id: str,
        lease: timedelta,
    ) -> None:
        self.sessions, self.clock, self.gateway = sessions, clock, gateway
        self.renderer, self.cipher = renderer, cipher
        self.worker_id, self.lease = worker_id, lease
        self._wake = asyncio.Event()
        self._task: asyncio.Task[None] | None = None
        self._zones: dict[str, ZoneInfo] = {}

    def kick(self) -> None:
        """Ask for a drain soon; called after a commit that added rows."""
        self._wake.set()
        if self._task is None or self._task.done():
            self._task = asyncio.get_running_loop().create_task(self._run())

    async def _run(self) -> None:
        while self._wake.is_set():
            self._wake.clear()
            try:
                await self.drain()
            except Exception:  # the scheduler's periodic drain will try again
                log.exception("outbox drain failed")
                return

    async def wait_idle(self) -> None:
        while self._task is not None and not self._task.done():
            await self._task

    async def close(self) -> None:
        if self._task is not None:
            self._task.cancel()
            await asyncio.gather(self._task, return_exceptions=True)

    async def drain(self, limit: int = 100) -> int:
        """Send everything due now; returns how many rows were handled."""
        handled = 0
        while True:
            async with self.sessions.begin() as session:
                claimed = list(
                    await rows.claim_due(
                        session,
                        now=self.clock.now(),
                        worker=self.worker_id,
                        limit=limit,
                        lease=self.lease,
                    )
                )
            if not claimed:
                return handled
            by_channel: dict[str, list[OutboxMessage]] = defaultdict(list)
            for row in claimed:
                by_channel[row.channel].append(row)
            await asyncio.gather(*(self._send_serially(batch) for batch in by_channel.values()))
            handled += len(claimed)

    async def _send_serially(self, batch: list[OutboxMessage]) -> None:
        # One channel's messages go in order, so a thread line never lands before its alert.
        for row in batch:
            await self._deliver(row)

    async def _deliver(self, row: OutboxMessage) -> None:
        assert row.id is not None
        try:
            ts = await self._send(row)
        except Deferred as wait:
            retry = wait.until - self.clock.now() if wait.until else timedelta(seconds=2)
            await self._finish(row, OutboxStatus.PENDING, retry=retry, count=False)
        except ChannelRefused as exc:
            log.error("not posting case=%s to %s: channel %s", row.case_id, row.channel, exc.reason)
            await self._finish(
                row, OutboxStatus.PENDING, error=f"channel:{exc.reason}", retry=timedelta(minutes=5)
            )
        except SlackApiError as exc:
            await self._failed(row, str(exc.response.get("error", "")), exc.response.status_code)
        except (TimeoutError, OSError) as exc:
            await self._failed(row, type(exc).__name__, None)
        else:
            await self._finish(row, OutboxStatus.SENT, ts=ts)

    async def _failed(self, row: OutboxMessage, error: str, status: int | None) -> None:
        permanent = error in PERMANENT or row.attempts >= MAX_ATTEMPTS
        log.warning(
            "send failed id=%s kind=%s error=%s status=%s attempt=%d",
            row.id,
            row.kind,
            error or "-",
            status,
            row.attempts,
        )
        if permanent:
            await self._finish(row, OutboxStatus.FAILED, error=error)
        else:
            await self._finish(
                row, OutboxStatus.PENDING, error=error, retry=rows.delay(row.attempts)
            )

    async def _finish(
        self,
        row: OutboxMessage,
        status: OutboxStatus,
        *,
        ts: str | None = None,
        error: str | None = None,
        retry: timedelta | None = None,
        count: bool = True,
    ) -> None:
        assert row.id is not None
        now = self.clock.now()
        async with self.sessions.begin() as session:
            if row.kind == ALERT and ts is not None and row.case_id is not None:
                await set_alert_ref(session, case_id=row.case_id, channel=row.channel, ts=ts)
            await rows.finish(
                session,
                message_id=row.id,
                worker=self.worker_id,
                status=status,
                now=now,
                result_ts=ts,
                error=error[:200] if error else None,
                retry_at=now + retry if retry else None,
                undo_attempt=not count,
            )

    async def _send(self, row: OutboxMessage) -> str | None:
        message: Message = json.loads(row.payload or "{}")
        if row.kind in CASE_CONTENT:
            await self._guard(row.channel)
        if row.kind == ALERT:
            return await self._send_alert(row)
        if row.kind in (ALERT_UPDATE, THREAD):
            return await self._send_to_alert(row, message)
        channel = row.channel
        if row.kind == STAFF_DM:
            await self._quiet_hours(row.channel)
        if row.kind in (DM, STAFF_DM):
            channel = await self.gateway.open_dm(row.channel)
        return await self._post_once(row, channel, message)

    async def _post_once(
        self,
        row: OutboxMessage,
        channel: str,
        message: Message,
        thread_ts: str | None = None,
        metadata: dict[str, Any] | None = None,
        case_id: int | None = None,
    ) -> str:
        """Post, unless an earlier try reached Slack without us hearing the answer: every
        message carries its outbox id in metadata, and a retry looks for it first."""
        assert row.id is not None
        if row.attempts > 1:
            found = await self.gateway.find_sent(
                channel, row.id, thread_ts=thread_ts, case_id=case_id
            )
            if found:
                return found
        return await self.gateway.post(
            channel, message, thread_ts=thread_ts, metadata=metadata or message_metadata(row.id)
        )

    async def _guard(self, channel: str) -> None:
        """Report content goes only to a private, internal channel: asked of Slack before
        every post, so a channel made public or shared a minute ago gets nothing more."""
        verdict = await self.gateway.verdict(channel)
        if not verdict.safe:
            raise ChannelRefused(verdict.reason or "unknown")

    async def _quiet_hours(self, user: str) -> None:
        zone = self._zones.get(user)
        if zone is None:
            name = await self.gateway.user_tz(user)
            zone = self._zones[user] = _zone(name, self.clock.zone)
        now = self.clock.now()
        morning = self.clock.outside_quiet_hours(now, zone)
        if morning > now:
            raise Deferred(morning)

    async def _case(self, case_id: int | None) -> CaseView | None:
        async with self.sessions.begin() as session:
            report = await get_report(session, case_id=case_id or 0)
            return to_view(self.cipher, report) if report else None

    async def _send_alert(self, row: OutboxMessage) -> str | None:
        case = await self._case(row.case_id)
        if case is None or case.alert_ts:
            return case.alert_ts if case else None
        assert row.id is not None
        meta = case_metadata(case.id, case.case_number, row.id)
        alert = self.renderer.alert(case)
        return await self._post_once(row, row.channel, alert, metadata=meta, case_id=case.id)

    async def _send_to_alert(self, row: OutboxMessage, message: Message) -> str | None:
        case = await self._case(row.case_id)
        if case is None:
            return None
        if not case.alert_ts or not case.alert_channel:
            raise Deferred
        if row.kind == ALERT_UPDATE:
            await self.gateway.update(case.alert_channel, case.alert_ts, self.renderer.alert(case))
            return case.alert_ts
        return await self._post_once(row, case.alert_channel, message, thread_ts=case.alert_ts)
