"""Remembering which Slack deliveries were already handled."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.clock import within
from bot.services import Services
from storage.requests import remember_request

log = logging.getLogger("kasuhara")


def storable(key: str) -> str:
    """Keys hold ids from the payload: a forged one may be long, or not text a database takes
    (NUL, lone surrogates), so anything but short printable ASCII is stored as its hash."""
    if len(key) <= 128 and key.isascii() and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


# Slack waits 3 s for an ack: a stalled database may take this much of it here, leaving the
# listener its own bounded wait (KASUHARA_SUBMIT_TIMEOUT_SECONDS) to answer in words.
KEY_WAIT_SECONDS = 0.8


async def _remember(svc: Services, key: str) -> None:
    async with svc.sessions.begin() as session:
        await remember_request(session, key=storable(key), at=svc.clock.now())


async def first_time(svc: Services, key: str) -> bool:
    """True the first time `key` is seen. If the database cannot answer (an error, refused
    connections, or no answer within KEY_WAIT_SECONDS), let the request through: the
    listener reports the failure to the user properly."""
    try:
        await within(KEY_WAIT_SECONDS, _remember(svc, key))
    except IntegrityError:
        return False
    except (SQLAlchemyError, OSError, TimeoutError) as exc:
        log.warning("could not record delivery key (%s); processing anyway", type(exc).__name__)
    return True
