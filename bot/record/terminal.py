"""`kasuhara-bot record KH-2026-0001 > file.pdf`: a case record from an operator's terminal.

The same record as the alert's button produces, audited the same way (via `terminal`, the
operator's login as the actor). With SLACK_BOT_TOKEN set, the alert's thread and people's
names are read from Slack; without it the record says the thread was not read.
"""

from __future__ import annotations

import getpass

from bot.config import Settings
from bot.privacy.crypto import Cipher
from bot.record.produce import VIA_TERMINAL, ProducedRecord, produce_record

ACTOR_MAX = 32  # audit_event.actor_id


def terminal_actor() -> str:
    try:
        user = getpass.getuser()
    except (KeyError, OSError):  # no login name (a container without a passwd entry)
        user = "unknown"
    return f"cli:{user}"[:ACTOR_MAX]


async def record_for_terminal(
    settings: Settings, cipher: Cipher, case_number: str
) -> ProducedRecord | None:
    """The record of `case_number` (KH-2026-0001, any case), or None when there is none."""
    from bot.app import create_services  # the composition root builds what a record needs

    svc = create_services(settings, cipher)
    try:
        return await produce_record(
            svc,
            actor=terminal_actor(),
            via=VIA_TERMINAL,
            case_number=case_number.strip().upper(),
            use_slack=bool(settings.bot_token),
        )
    finally:
        await svc.sessions.kw["bind"].dispose()
