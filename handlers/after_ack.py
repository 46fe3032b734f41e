"""Keeping Slack's answer when a listener fails after it has acknowledged.

Bolt's asyncio runner polls for the ack every 10 ms; when the listener acks and then raises
before the next poll, the runner overwrites the ack with None, waits out its 3 s and answers
404 "unhandled request" (or 500, when the body's "view" is null). The work after an ack is
the app's own business: its failure is logged here and the ack stands.

A delivery found already handled (bot.delivery.idempotency.AlreadyHandled) is answered as the
first one was, with a plain ack if none was sent yet (a view submission's closes the modal).
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Awaitable, Callable
from typing import Any

from bot.delivery.idempotency import AlreadyHandled

log = logging.getLogger("kasuhara.handlers")

Listener = Callable[..., Awaitable[Any]]


def contained(func: Listener) -> Listener:
    # functools.wraps: Bolt reads the parameters it injects through __wrapped__.
    @functools.wraps(func)
    async def run(**kwargs: Any) -> Any:
        try:
            return await func(**kwargs)
        except AlreadyHandled:
            log.info("duplicate delivery ignored in %s", func.__name__)
            ack = kwargs.get("ack")
            if ack is not None and getattr(ack, "response", None) is None:
                await ack()
            return None
        except Exception as exc:
            if getattr(kwargs.get("ack"), "response", None) is None:
                raise  # not acknowledged yet: Bolt's error handling answers Slack
            log.error(
                "listener %s failed after ack: %s", func.__name__, type(exc).__name__, exc_info=exc
            )
            return None

    return run
