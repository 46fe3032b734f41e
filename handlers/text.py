"""Block Kit text helpers; Slack's limits are in handlers/slack_limits.py."""

from __future__ import annotations

import re
from typing import Any

from handlers.slack_limits import (
    BUTTON_TEXT_MAX,
    CONTEXT_TEXT_MAX,
    HEADER_MAX,
    MODAL_TITLE_MAX,
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


def slack_length(text: str) -> int:
    """Length as Slack's strictest surfaces count it: UTF-16 code units (an emoji outside the
    BMP is 2). Slack's docs say "characters" without saying which; we assume the larger."""
    return len(text.encode("utf-16-le")) // 2


def split_escaped(text: str, first_room: int, room: int) -> list[str]:
    """Cut raw user text into escaped parts: the first at most `first_room` UTF-16 units once
    escaped (& < > become &amp; &lt; &gt;), the others at most `room`. Prefers to cut at a
    line break in the last fifth of a part; never inside a character or an entity."""
    parts: list[str] = []
    current: list[str] = []
    used, limit = 0, first_room
    for ch in text:
        piece = escape(ch)
        cost = slack_length(piece)
        if used + cost > limit and current:
            parts.append(_cut(current))
            used = sum(slack_length(p) for p in current)
            limit = room
        current.append(piece)
        used += cost
    if current or not parts:
        parts.append("".join(current))
    return parts


def _cut(current: list[str]) -> str:
    """Take a finished part off the front of `current` (in place), at a line break if one
    is near the end."""
    at = len(current)
    for i in range(len(current) - 1, int(len(current) * 0.8), -1):
        if current[i] == "\n":
            at = i + 1
            break
    done = "".join(current[:at])
    del current[:at]
    return done


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


def modal(
    title: str,
    blocks: list[dict[str, Any]],
    *,
    close: str,
    submit: str | None = None,
    callback_id: str | None = None,
    private_metadata: str | None = None,
) -> dict[str, Any]:
    """A modal view (https://api.slack.com/reference/surfaces/views): title, close and submit
    clipped to Slack's 24 characters; `submit` and `callback_id` only for one that is sent."""
    view: dict[str, Any] = {"type": "modal"}
    if callback_id is not None:
        view["callback_id"] = callback_id
    view["title"] = plain(title, MODAL_TITLE_MAX)
    if submit is not None:
        view["submit"] = plain(submit, MODAL_TITLE_MAX)
    view["close"] = plain(close, MODAL_TITLE_MAX)
    if private_metadata is not None:
        view["private_metadata"] = private_metadata
    view["blocks"] = blocks
    return view


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
