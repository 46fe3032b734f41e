"""Remembering which Slack deliveries were already handled.

Slack retries an event whose acknowledgement was slow or lost (same `event_id`), and a signed
request can be replayed for five minutes. Only requests that change something need guarding,
and the guard costs nothing extra when the key is written in the same transaction as the change
it guards: the key and the change commit together or not at all, so a retry either finds the
key (and does nothing) or finds neither (and does the work). Read-only answers (help, a policy
question, status) record nothing: repeating them is harmless.
"""

from __future__ import annotations

import hashlib
import logging
from datetime import datetime

from sqlalchemy.exc import IntegrityError, SQLAlchemyError
from sqlmodel.ext.asyncio.session import AsyncSession

from bot.clock import within
from bot.services import Services
from storage.requests import remember_request

log = logging.getLogger("kasuhara")


class AlreadyHandled(Exception):
    """This delivery's key is already recorded: the work it guards was done (or is being done
    by a concurrent copy that will commit it). Raised inside the caller's transaction so that
    it rolls back; the Slack edge answers as if the work had just been done."""


def storable(key: str) -> str:
    """Keys hold ids from the payload: a forged one may be long, or not text a database takes
    (NUL, lone surrogates), so anything but short printable ASCII is stored as its hash."""
    if len(key) <= 128 and key.isascii() and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


async def claim(session: AsyncSession, key: str | None, at: datetime) -> None:
    """Record `key` in the caller's open transaction, before the work it guards (so a duplicate
    stops at its first statement). No key, nothing to record.

    Raises AlreadyHandled when the key is there; on PostgreSQL a concurrent copy waits on the
    unique index until the first commits (then raises) or rolls back (then proceeds)."""
    if key is None:
        return
    try:
        await remember_request(session, key=storable(key), at=at)
    except IntegrityError as exc:
        raise AlreadyHandled(key) from exc


# A stalled database may take this long before a reply posted on its own is let through.
KEY_WAIT_SECONDS = 0.8


async def _remember(svc: Services, key: str) -> None:
    async with svc.sessions.begin() as session:
        await claim(session, key, svc.clock.now())


async def first_time(svc: Services, key: str | None) -> bool:
    """For work with no transaction of its own (a reply posted straight to Slack, after the
    ack): record `key` on its own; True the first time. If the database cannot answer (an
    error, refused connections, or no answer within KEY_WAIT_SECONDS), let the request
    through: answering twice beats not answering. A copy that reaches this same process is
    known without the database (svc.recent_keys), so a slow database does not double it."""
    if key is None:
        return True
    if not svc.recent_keys.take(storable(key)):
        return False
    try:
        await within(KEY_WAIT_SECONDS, _remember(svc, key))
    except AlreadyHandled:
        return False
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        log.warning("could not record delivery key (%s); processing anyway", type(exc).__name__)
    return True
