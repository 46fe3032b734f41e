"""Remembering which Slack deliveries were already handled."""

from __future__ import annotations

import hashlib
import logging

from sqlalchemy.exc import IntegrityError, SQLAlchemyError

from bot.services import Services
from storage.requests import remember_request

log = logging.getLogger("kasuhara")


def storable(key: str) -> str:
    """Keys hold ids from the payload: a forged one may be long, or not text a database takes
    (NUL, lone surrogates), so anything but short printable ASCII is stored as its hash."""
    if len(key) <= 128 and key.isascii() and key.isprintable():
        return key
    return "sha256:" + hashlib.sha256(key.encode("utf-8", "surrogatepass")).hexdigest()


async def first_time(svc: Services, key: str) -> bool:
    """True the first time `key` is seen. If the database cannot answer, let the request
    through: the listener reports the failure to the user properly."""
    try:
        async with svc.sessions.begin() as session:
            await remember_request(session, key=storable(key), at=svc.clock.now())
    except IntegrityError:
        return False
    except SQLAlchemyError:
        log.warning("could not record delivery key; processing anyway")
    return True
