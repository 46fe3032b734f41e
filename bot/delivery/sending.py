"""How each kind of outbox row becomes one Slack call (or none), through the one gateway."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from bot.cases.domain import CaseView
from bot.cases.view import to_view
from bot.delivery import holds
from bot.delivery.context import Delivery
from bot.delivery.homes import HomePublisher
from bot.delivery.kinds import (
    ALERT,
    ALERT_PART,
    ALERT_UPDATE,
    CASE_CONTENT,
    DM,
    HOME,
    RECEIPT,
    STAFF_DM,
    THREAD,
)
from bot.delivery.render import Message
from bot.delivery.signals import ChannelRefused, Deferred, Unreadable
from bot.delivery.slack_io import SlackGateway, case_metadata, message_metadata
from bot.privacy.crypto import DataKeyError
from storage.models import OutboxMessage
from storage.reports import get_report

SAFE_TEXT_MAX = 3000
AFTER_ALERT_POLL = timedelta(
    seconds=15
)  # a safe form is plain text well inside chat.postMessage's limits


def _zone(name: str | None, default: ZoneInfo) -> ZoneInfo:
    try:
        return ZoneInfo(name) if name else default
    except (ZoneInfoNotFoundError, ValueError):
        return default


def safe_form(message: Message) -> Message:
    """The minimal form of any message: its fallback text alone, which Slack always takes."""
    text = str(message.get("text") or "").strip() or "…"
    return {"text": text[:SAFE_TEXT_MAX]}


class Sender:
    def __init__(self, ctx: Delivery) -> None:
        self.ctx = ctx
        self.gateway: SlackGateway = ctx.gateway
        self._zones: dict[str, ZoneInfo] = {}
        # Receipt rows just sent saying "not reached yet" (the outbox records it on success).
        self.not_reached: set[int] = set()
        # The alert ts each ALERT_UPDATE row last tried to edit: a "message_not_found" is about
        # that message, which may have been replaced since (bot/delivery/holds.py).
        self.edited: dict[int, str] = {}
        self.homes = HomePublisher(ctx)

    async def send(self, row: OutboxMessage) -> str | None:
        """Send `row`; returns the ts of the message it made or edited (None: nothing to do).
        Raises Deferred, ChannelRefused, Unreadable, or the gateway's errors."""
        payload: dict[str, Any] = json.loads(row.payload or "{}")
        safe = bool(payload.pop("_safe", False))
        if row.kind in CASE_CONTENT:
            await self._guard(row.channel)
            return await self._case_content(row, payload, safe)
        if row.kind == RECEIPT:
            return await self._receipt(row, safe)
        if row.kind == HOME:
            await self.homes.publish(row)
            return None
        channel = row.channel
        if row.kind == STAFF_DM:
            await self._quiet_hours(row.channel)
        if row.kind in (DM, STAFF_DM):
            channel = await self.ctx.gateway.open_dm(row.channel)
        return await self._post_once(row, channel, safe_form(payload) if safe else payload)

    async def _case_content(self, row: OutboxMessage, payload: Message, safe: bool) -> str | None:
        # A thread line shows no report text: it goes out even when the text cannot be read.
        case = await self._case(row.case_id, strict=row.kind != THREAD, supervisors=True)
        if case is None:
            return None
        renderer = self.ctx.renderer
        if row.kind == ALERT:
            if case.alert_ts:
                return str(case.alert_ts)
            assert row.id is not None
            alert = renderer.safe_alert(case) if safe else renderer.alert(case)
            meta = case_metadata(case.id, case.case_number, row.id)
            return await self._post_once(row, row.channel, alert, metadata=meta, case_id=case.id)
        if not case.alert_ts or not case.alert_channel:
            # Woken when the alert is posted (holds.on_alert_posted); the poll is a fallback.
            raise Deferred(self.ctx.clock.now() + AFTER_ALERT_POLL)
        if row.kind == ALERT_UPDATE:
            # An edit without blocks would leave the refused ones showing: [] removes them.
            alert = {**renderer.safe_alert(case), "blocks": []} if safe else renderer.alert(case)
            if row.id is not None:
                self.edited[row.id] = case.alert_ts
            await self.ctx.gateway.update(case.alert_channel, case.alert_ts, alert)
            self.edited.pop(row.id or 0, None)
            return str(case.alert_ts)
        if row.kind == ALERT_PART:
            parts = renderer.description_parts(case)
            index = int(payload.get("part", 0))
            if index >= len(parts):  # purged since, or rendered shorter: nothing left to say
                return None
            payload = parts[index]
        message = safe_form(payload) if safe else payload
        channel = case.alert_channel or row.channel
        return await self._post_once(row, channel, message, thread_ts=case.alert_ts)

    async def _receipt(self, row: OutboxMessage, safe: bool) -> str | None:
        """The reporter's receipt says what is true when it is sent: the supervisors were
        reached, or not yet (held, or still retrying after KASUHARA_RECEIPT_WAIT_SECONDS),
        with whom to contact directly meanwhile."""
        case = await self._case(row.case_id)
        if case is None:
            return None
        reached = await holds.receipt_form(self.ctx, case)
        message = self.ctx.renderer.receipt(case, reached=reached)
        channel = await self.ctx.gateway.open_dm(row.channel)
        ts = await self._post_once(row, channel, safe_form(message) if safe else message)
        if not reached and row.id is not None:
            self.not_reached.add(row.id)
        return ts

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
            found = await self.ctx.gateway.find_sent(
                channel, row.id, thread_ts=thread_ts, case_id=case_id
            )
            if found:
                return str(found)
        return await self.gateway.post(
            channel, message, thread_ts=thread_ts, metadata=metadata or message_metadata(row.id)
        )

    async def _guard(self, channel: str) -> None:
        """Report content goes only to a private, internal channel: asked of Slack before
        every post, so a channel made public or shared a minute ago gets nothing more."""
        verdict = await self.ctx.gateway.verdict(channel)
        self.ctx.note_channel(channel, verdict)
        if not verdict.safe:
            raise ChannelRefused(verdict.reason or "unknown")

    async def _quiet_hours(self, user: str) -> None:
        zone = self._zones.get(user)
        if zone is None:
            name = await self.ctx.gateway.user_tz(user)
            zone = self._zones[user] = _zone(name, self.ctx.clock.zone)
        now = self.ctx.clock.now()
        morning = self.ctx.clock.outside_quiet_hours(now, zone)
        if morning > now:
            raise Deferred(morning)

    async def _case(
        self, case_id: int | None, strict: bool = True, supervisors: bool = False
    ) -> CaseView | None:
        """The case; for the supervisors' channel with what `supervisor_view` adds."""
        async with self.ctx.sessions.begin() as session:
            report = await get_report(session, case_id=case_id or 0)
            if report is None:
                return None
            try:
                case = to_view(self.ctx.cipher, report, tolerant=not strict)
            except DataKeyError as exc:
                raise Unreadable(str(exc)) from exc
            view = self.ctx.supervisor_view
            return await view(session, case) if supervisors and view else case
