"""Outcomes of a send that are not Slack errors: the outbox's own reasons to wait."""

from __future__ import annotations

from datetime import datetime


class Deferred(Exception):
    """Not an error: the message waits for something (its alert, or the morning)."""

    def __init__(self, until: datetime | None = None) -> None:
        super().__init__("deferred")
        self.until = until


class ChannelRefused(Exception):
    """Our own verdict on the channel (bot/delivery/slack_io.py): report content may not go
    there; `reason` is the verdict's reason, held like Slack's channel errors."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class Unreadable(Exception):
    """The case's stored text does not open with the data key: that row waits for the key
    (kasuhara-bot rotate-key); the rows after it go on."""
