"""Logging that never carries tokens, report text or question text: ids, lengths, hashes.

Three leaks are closed here. slack_sdk logs whole request and response bodies (message text,
view state) at DEBUG, and aiosqlite and SQLAlchemy log statement parameters: their loggers are
held at INFO or WARNING whatever LOG_LEVEL says. Bolt copies the root level onto its own
loggers when it creates them, so the app hands Bolt a logger that is already held
(`bolt_logger`). And an exception's message can quote the input that caused it: the
formatter prints where it happened and the exception's type, but only the length and a hash
of its message, and masks anything shaped like a Slack token or a Fernet token.
"""

from __future__ import annotations

import hashlib
import logging
import os
import re
import sys
import traceback
from collections.abc import Iterable
from types import TracebackType
from typing import IO

# Minimum levels for libraries that would otherwise log payloads, SQL parameters or results.
HELD = {
    "slack_sdk": logging.INFO,
    "slack_bolt": logging.INFO,
    "aiohttp": logging.INFO,
    "aiosqlite": logging.WARNING,
    "asyncpg": logging.WARNING,
    "sqlalchemy": logging.WARNING,
    "alembic": logging.INFO,
    "apscheduler": logging.INFO,
    "asyncio": logging.INFO,
    "websockets": logging.INFO,
    "urllib3": logging.INFO,
    "matplotlib": logging.WARNING,
    "PIL": logging.WARNING,
    "fpdf": logging.WARNING,  # the case record: font subsetting chatter
    "fontTools": logging.WARNING,
}
BOLT_LOGGER = "slack_bolt.AsyncApp"
SECRET_SETTINGS = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "SLACK_APP_TOKEN",
    "KASUHARA_DATA_KEY",
)
FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
_TOKENS = re.compile(
    r"\b(?:xox[abeoprs]|xapp|xoxe\.xox[bp])-[A-Za-z0-9-]+|gAAAAA[A-Za-z0-9_=-]{16,}"
)
_MARK = "_kasuhara_handler"

ExcInfo = tuple[type[BaseException], BaseException, TracebackType | None]


def hold_library_loggers() -> None:
    """Raise (never lower) the levels of the libraries in HELD to at least their floor."""
    for name, floor in HELD.items():
        logger = logging.getLogger(name)
        logger.setLevel(max(logger.getEffectiveLevel(), floor))


_TOKEN_UNUSED = "As you gave `client` as well, `token` will be unused."


class _WithholdBodies(logging.Filter):
    """Bolt's "Unhandled request" warning quotes parts of the body (ids from Slack, but a forged
    request can put any text there) and a code sample: the fact is kept, the quote dropped."""

    def filter(self, record: logging.LogRecord) -> bool:
        if str(record.msg).startswith("Unhandled request"):
            record.msg, record.args = "Unhandled request (body withheld)", ()
        # Bolt reads SLACK_BOT_TOKEN itself and warns that it is unused when given a client:
        # the client carries that same token, so the warning would only alarm an operator.
        return str(record.msg) != _TOKEN_UNUSED


def bolt_logger() -> logging.Logger:
    """The logger to give AsyncApp: Bolt derives every listener's logger (level and filters)
    from it."""
    hold_library_loggers()
    logger = logging.getLogger(BOLT_LOGGER)
    # Explicit, not inherited: Bolt copies this level onto loggers outside "slack_bolt".
    logger.setLevel(logger.getEffectiveLevel())
    if not any(isinstance(f, _WithholdBodies) for f in logger.filters):
        logger.addFilter(_WithholdBodies())
    return logger


def fingerprint(text: str) -> str:
    """What may be logged of a text: its length and a short hash, to match reports up."""
    digest = hashlib.sha256(text.encode("utf-8", "surrogatepass")).hexdigest()[:12]
    return f"len={len(text)} sha256={digest}"


def _describe(exc: BaseException) -> str:
    return f"{type(exc).__module__}.{type(exc).__qualname__} (message {fingerprint(str(exc))})"


class SafeFormatter(logging.Formatter):
    def __init__(self, fmt: str = FORMAT, secrets: Iterable[str] = ()) -> None:
        super().__init__(fmt)
        self._secrets = sorted({s for s in secrets if len(s) >= 8}, key=len, reverse=True)

    def formatException(self, ei: ExcInfo) -> str:  # type: ignore[override]  # noqa: N802
        """Frames and types of the chain, without the messages."""
        lines: list[str] = []
        exc: BaseException | None = ei[1]
        while exc is not None and len(lines) < 10:
            frames = "".join(traceback.format_tb(exc.__traceback__))
            lines.insert(0, f"Traceback (most recent call last):\n{frames}{_describe(exc)}")
            exc = exc.__cause__ or exc.__context__
        return "\n\nwhich caused:\n".join(lines)

    def format(self, record: logging.LogRecord) -> str:
        text = _TOKENS.sub("[token]", super().format(record))
        for secret in self._secrets:
            text = text.replace(secret, "[secret]")
        return text


class _CurrentStderr(logging.StreamHandler):  # type: ignore[type-arg]
    """Writes to whatever sys.stderr is when a record comes (test runners swap it)."""

    @property
    def stream(self) -> IO[str]:
        return sys.stderr

    @stream.setter
    def stream(self, _: IO[str]) -> None:
        pass


def env_secrets() -> list[str]:
    values = [os.environ.get(name, "") for name in SECRET_SETTINGS]
    return [part.strip() for value in values for part in value.split(",") if part.strip()]


def configure_logging(
    level: int | str = logging.WARNING,
    *,
    stream: IO[str] | None = None,
    secrets: Iterable[str] = (),
) -> logging.Handler:
    """The operator's console handler (replacing an earlier one of ours) and the held levels."""
    root = logging.getLogger()
    for old in [h for h in root.handlers if getattr(h, _MARK, False)]:
        root.removeHandler(old)
    handler = logging.StreamHandler(stream) if stream else _CurrentStderr()
    handler.setFormatter(SafeFormatter(secrets=[*env_secrets(), *secrets]))
    setattr(handler, _MARK, True)
    root.addHandler(handler)
    root.setLevel(level)
    hold_library_loggers()
    return handler
