"""What Slack's client makes of what a person types, and the rich_text block it attaches.

Slack escapes `&`, `<` and `>` in what people type and turns a picked @name or #channel into
`<@U…>` / `<#C…|name>` (https://api.slack.com/reference/surfaces/formatting). The client also
sends the same content as a `rich_text` block whose elements carry it unescaped, as
structure. Tests write what a person typed; these functions produce what Slack stores.
"""

from __future__ import annotations

import re
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from slack_standin.workspace import Workspace

Json = dict[str, Any]
_TYPED = re.compile(r"@([A-Za-z0-9._-]+)|#([A-Za-z0-9_-]+)|(https?://[^\s<>]+)")
_TOKEN = re.compile(r"<([^<>]*)>")


def escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def unescape(text: str) -> str:
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def typed(text: str, workspace: Workspace, channels: dict[str, Any] | None = None) -> str:
    """The wire `text` for what a person typed: escaped, with @name of a known user, #name of
    a known channel, and bare links turned into Slack's markup. "@here"/"@channel" too."""
    users = {u.name: u.id for u in workspace.users.values()}
    chans = {c.name: c.id for c in (channels or workspace.channels).values() if not c.is_im}
    out, last = [], 0
    for m in _TYPED.finditer(text):
        name, chan, url = m.groups()
        if name in ("here", "channel", "everyone"):
            token = f"<!{name}>"
        elif name and name in users:
            token = f"<@{users[name]}>"
        elif chan and chan in chans:
            token = f"<#{chans[chan]}|{chan}>"
        elif url:
            token = f"<{escape(url)}>"
        else:
            continue
        out += [escape(text[last : m.start()]), token]
        last = m.end()
    out.append(escape(text[last:]))
    return "".join(out)


def _element(inner: str) -> Json:
    target, _, label = inner.partition("|")
    if target.startswith("@"):
        return {"type": "user", "user_id": target[1:]}
    if target.startswith("#"):
        return {"type": "channel", "channel_id": target[1:]}
    if target.startswith("!"):
        command = target[1:].split("^")[0]
        if command in ("here", "channel", "everyone"):
            return {"type": "broadcast", "range": command}
        return {"type": "text", "text": unescape(label)}
    link: Json = {"type": "link", "url": unescape(target)}
    if label:
        link["text"] = unescape(label)
    return link


def rich_text(wire: str, block_id: str = "standin") -> Json:
    """The rich_text block the client sends along with this wire text."""
    elements: list[Json] = []
    last = 0
    for m in _TOKEN.finditer(wire):
        if m.start() > last:
            elements.append({"type": "text", "text": unescape(wire[last : m.start()])})
        elements.append(_element(m.group(1)))
        last = m.end()
    if last < len(wire):
        elements.append({"type": "text", "text": unescape(wire[last:])})
    section = {"type": "rich_text_section", "elements": elements}
    return {"type": "rich_text", "block_id": block_id, "elements": [section]}


_DATE = re.compile(r"<!date\^(\d+)\^([^|>^]*)(?:\^[^|>]*)?\|[^>]*>")


def as_seen_by(text: str, tz: str, now: float) -> str:
    """`<!date^epoch^format|fallback>` as Slack's client shows it to a person in zone `tz`
    (24-hour clock; "Today"/"Yesterday"/"Tomorrow" for {date_short_pretty} near `now`)."""

    def render(m: re.Match[str]) -> str:
        zone = ZoneInfo(tz)
        moment = datetime.fromtimestamp(int(m.group(1)), zone)
        days = (moment.date() - datetime.fromtimestamp(now, zone).date()).days
        pretty = {0: "Today", -1: "Yesterday", 1: "Tomorrow"}.get(days, moment.strftime("%b %-d"))
        parts = {
            "{date_num}": moment.strftime("%Y-%m-%d"),
            "{date_short}": moment.strftime("%b %-d, %Y"),
            "{date_short_pretty}": pretty,
            "{time}": moment.strftime("%H:%M"),
            "{time_secs}": moment.strftime("%H:%M:%S"),
        }
        out = m.group(2)
        for key, value in parts.items():
            out = out.replace(key, value)
        return out

    return _DATE.sub(render, text)
