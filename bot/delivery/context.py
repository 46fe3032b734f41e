"""What delivery needs, built once by the composition root: no services bundle, no cycle."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from datetime import timedelta

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.domain import CaseView
from bot.clock import Clock
from bot.delivery.render import Message, Renderer
from bot.delivery.slack_io import ChannelVerdict, SlackGateway
from bot.messages import Catalog
from bot.privacy.crypto import Cipher
from storage.db import Sessions


@dataclass(frozen=True)
class HoldRules:
    """The settings a held message needs (bot/config.py): where alerts go, whom to tell,
    how often to try again and how long a receipt waits for its alert."""

    supervisor_channel: str
    escalation_users: tuple[str, ...]
    hold_recheck: timedelta
    receipt_wait: timedelta


# Completes a case for the supervisors' alert inside the delivery's read (the reports linked
# to it: bot/cases/linking.py); never applied to what staff receive.
SupervisorView = Callable[[AsyncSession, CaseView], Awaitable[CaseView]]


@dataclass
class Delivery:
    sessions: Sessions
    clock: Clock
    gateway: SlackGateway
    renderer: Renderer
    cipher: Cipher
    catalog: Catalog
    worker_id: str
    lease: timedelta
    rules: HoldRules
    # What Slack said last about our channels and escalation contacts: /healthz shows it.
    problems: dict[str, str] = field(default_factory=dict)
    # Draws a person's Home (bot/cases/home.py home_view); set by the composition root once
    # the services exist, since drawing a Home asks for roles and reads the queue.
    home: Callable[[str], Awaitable[Message]] | None = None
    supervisor_view: SupervisorView | None = None

    def note_channel(self, channel: str, verdict: ChannelVerdict) -> None:
        """Remember a channel's verdict (at start, before each post, after a refusal)."""
        key = f"channel {channel or '-'}"
        if verdict.safe:
            self.problems.pop(key, None)
        else:
            self.problems[key] = verdict.reason or "unknown"

    def note_user(self, user: str, problem: str | None) -> None:
        """Remember whether an escalation contact can receive DMs (checked at start)."""
        key = f"escalation user {user}"
        if problem is None:
            self.problems.pop(key, None)
        else:
            self.problems[key] = problem
