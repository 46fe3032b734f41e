"""Block Kit text helpers; Slack's limits are in handlers/slack_limits.py."""

from __future__ import annotations

import re
from typing import Any

from handlers.slack_limits import (
    BUTTON_TEXT_MAX,
    CONTEXT_TEXT_MAX,
    HEADER_MAX,
    OPTION_TEXT_MAX,
    SECTION_TEXT_MAX,
)

# Lone surrogates (JSON may carry "\ud800") cannot be encoded as UTF-8, so they could be
# neither encrypted nor sent back to Slack; NUL and the other C0 controls are never text.
# Both become U+FFFD, one for one, so limits count what the user sent.
_UNSENDABLE = re.compile(r"[\ud800-\udfff\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean(text: str) -> str:
    """User text made storable and sendable; everything else in it is kept as typed."""
    return _UNSENDABLE.sub("\ufffd", text)


def escape(text: str) -> str:
    """Make user text inert in mrkdwn: no <!channel>, no <@U…> pings, no forged links."""
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def clip(text: str, limit: int, ellipsis: str = "…") -> str:
    if len(text) <= limit:
        return text
    return text[: limit - len(ellipsis)] + ellipsis


def plain(text: str, limit: int = SECTION_TEXT_MAX) -> dict[str, Any]:
    return {"type": "plain_text", "text": clip(text, limit), "emoji": True}


def mrkdwn(text: str, limit: int = SECTION_TEXT_MAX) -> dict[str, Any]:
    return {"type": "mrkdwn", "text": clip(text, limit)}


def section(text: str) -> dict[str, Any]:
    return {"type": "section", "text": mrkdwn(text)}


def header(text: str) -> dict[str, Any]:
    return {"type": "header", "text": plain(text, HEADER_MAX)}


def context(text: str) -> dict[str, Any]:
    return {"type": "context", "elements": [mrkdwn(text, CONTEXT_TEXT_MAX)]}


def option(text: str, value: str) -> dict[str, Any]:
    return {"text": plain(text, OPTION_TEXT_MAX), "value": value}


def button(text: str, action_id: str, value: str, style: str | None = None) -> dict[str, Any]:
    element: dict[str, Any] = {
        "type": "button",
        "text": plain(text, BUTTON_TEXT_MAX),
        "action_id": action_id,
        "value": value,
    }
    if style:
        element["style"] = style
    return element


def quote(text: str) -> str:
    return "\n".join(f"> {line}" if line else ">" for line in text.splitlines())
