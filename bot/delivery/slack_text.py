"""Slack's text as a person reads it: the one place that turns what Slack sends (escaped
mrkdwn, blocks, attachments, files) into plain text. Used by the Slack edge (message shortcut,
questions) and by the domain (case record, demo transcript). Pure functions, no I/O.

Slack's rules: https://api.slack.com/reference/surfaces/formatting (escaping, "<@U…>",
"<#C…|name>", "<url|text>", "<!here>", "<!date^…|fallback>").
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

# What Slack puts in `text` when a message has blocks but no text of its own.
SLACK_FALLBACKS = frozenset(
    {"This content can't be displayed.", "This content can’t be displayed."}
)
_TOKEN = re.compile(r"<([^<>]*)>")
_BROADCASTS = frozenset({"here", "channel", "everyone"})
# *bold*, _italic_, ~strike~ as Slack applies them: markers not inside a word, around text
# that neither starts nor ends with a space. A person reads the words, not the markers.
# Spans are bounded so a 40,000-character line of stray markers stays linear.
_FORMATTING = re.compile(r"(?<![\w*_~])([*_~])(?=\S)([^\n]{0,500}?\S)\1(?![\w*_~])")


def unescape(text: str) -> str:
    """Slack escapes only these three; `&amp;` last so "&amp;lt;" stays "&lt;"."""
    return text.replace("&lt;", "<").replace("&gt;", ">").replace("&amp;", "&")


def _link(target: str, label: str) -> str:
    url, label = unescape(target), unescape(label)
    shown = url.removeprefix("mailto:").removeprefix("tel:")
    if not label or label in (url, shown):
        return shown
    return f"{label} ({shown})"


def _person(user: str, names: Mapping[str, str], label: str = "") -> str:
    if names.get(user) == "":
        return ""
    return "@" + (names.get(user) or label or user)


def _token(inner: str, names: Mapping[str, str]) -> str:
    target, _, label = inner.partition("|")
    kind, rest = target[:1], target[1:]
    if kind == "@":  # a person; the lookup wins over a stale label; "" leaves it out
        return _person(rest, names, unescape(label))
    if kind == "#":
        return "#" + (unescape(label) or names.get(rest) or rest)
    if kind == "!":
        command, _, argument = rest.partition("^")
        if command in _BROADCASTS:
            return "@" + command
        if command == "subteam":
            return unescape(label) or "@" + argument
        return unescape(label)  # <!date^…|fallback> and anything newer: the fallback text
    return _link(target, label)


def readable(text: str, names: Mapping[str, str] | None = None) -> str:
    """Slack's escaped mrkdwn `text` as a person reads it: "&lt;" → "<", "<@U1>" → "@name"
    (`names`: user id → display name; the id when unknown; "" drops the mention),
    "<#C1|general>" → "#general", "<https://x|here>" → "here (https://x)", "<!here>" →
    "@here", "<!date^…|fallback>" → fallback, "*bold*" → "bold". Text between tokens is
    unescaped exactly once."""
    names = names or {}
    out: list[str] = []
    last = 0
    for match in _TOKEN.finditer(text):
        out.append(unescape(text[last : match.start()]))
        out.append(_token(match.group(1), names))
        last = match.end()
    out.append(unescape(text[last:]))
    return _FORMATTING.sub(r"\2", "".join(out))


def _text_object(obj: Any, names: Mapping[str, str]) -> str:
    if not isinstance(obj, dict) or not isinstance(obj.get("text"), str):
        return ""
    return readable(obj["text"], names) if obj.get("type") == "mrkdwn" else obj["text"]


def _rich_inline(el: dict[str, Any], names: Mapping[str, str]) -> str:
    """One element of a rich_text section; these arrive unescaped, as structure."""
    kind = el.get("type")
    if kind == "text":
        return str(el.get("text") or "")
    if kind == "link":
        return _link(str(el.get("url") or ""), str(el.get("text") or ""))
    if kind == "user":
        return _person(str(el.get("user_id") or ""), names)
    if kind == "channel":
        cid = str(el.get("channel_id") or "")
        return "#" + (names.get(cid) or cid)
    if kind == "usergroup":
        return "@" + str(el.get("usergroup_id") or "")
    if kind == "broadcast":
        return "@" + str(el.get("range") or "")
    if kind == "emoji":
        code = str(el.get("unicode") or "")
        try:
            return "".join(chr(int(part, 16)) for part in code.split("-")) if code else ""
        except (ValueError, OverflowError):  # not a code point: show the emoji's name
            pass
        return f":{el.get('name', '')}:"
    if kind == "date":
        return str(el.get("fallback") or "")
    return str(el.get("text") or "")


def _rich_text(block: dict[str, Any], names: Mapping[str, str]) -> list[str]:
    lines: list[str] = []
    for part in _dicts(block.get("elements")):
        if part.get("type") == "rich_text_list":
            ordered = part.get("style") == "ordered"
            depth = part.get("indent")
            indent = "  " * (min(depth, 8) if isinstance(depth, int) and depth > 0 else 0)
            for n, item in enumerate(_dicts(part.get("elements")), start=1):
                mark = f"{n}." if ordered else "•"
                lines.append(
                    f"{indent}{mark} "
                    + "".join(_rich_inline(e, names) for e in _dicts(item.get("elements")))
                )
        else:  # rich_text_section, _preformatted, _quote
            lines.append("".join(_rich_inline(e, names) for e in _dicts(part.get("elements"))))
    return lines


def _dicts(value: Any) -> list[dict[str, Any]]:
    return [v for v in value if isinstance(v, dict)] if isinstance(value, list) else []


def blocks_text(blocks: Any, names: Mapping[str, str] | None = None) -> str:
    """The words in rich_text, section (text and fields), header and context blocks."""
    names = names or {}
    lines: list[str] = []
    for block in _dicts(blocks):
        kind = block.get("type")
        if kind == "rich_text":
            lines.append("\n".join(_rich_text(block, names)))
        elif kind in ("section", "header"):
            lines.append(_text_object(block.get("text"), names))
            lines += [_text_object(f, names) for f in _dicts(block.get("fields"))]
        elif kind == "context":
            lines += [_text_object(e, names) for e in _dicts(block.get("elements"))]
    return "\n".join(line for line in lines if line)


def attachment_text(att: dict[str, Any], names: Mapping[str, str] | None = None) -> str:
    """A legacy attachment (a forwarded email, another app's card, a shared message): pretext,
    author, title, text, fields; its blocks (or the shared message's) when it has no text;
    its fallback when nothing else."""
    names = names or {}

    def words(key: str) -> str:
        value = att.get(key)
        return readable(value, names) if isinstance(value, str) else ""

    title = words("title")
    if title and isinstance(att.get("title_link"), str):
        title = _link(att["title_link"], title)
    lines = [words("pretext"), words("author_name"), title, words("text")]
    for f in _dicts(att.get("fields")):
        head, value = (readable(str(f.get(k) or ""), names) for k in ("title", "value"))
        lines.append(f"{head}: {value}" if head and value else head or value)
    if not words("text"):  # a shared message repeats its text in message_blocks
        lines.append(blocks_text(att.get("blocks"), names))
        for shared in _dicts(att.get("message_blocks")):
            message = shared.get("message")
            lines.append(
                blocks_text(message.get("blocks") if isinstance(message, dict) else None, names)
            )
    body = "\n".join(line for line in lines if line)
    return body or words("fallback")


@dataclass(frozen=True)
class ReadMessage:
    """A Slack message as a person reads it: its words and the names of its files."""

    body: str
    files: tuple[str, ...] = ()


def file_names(message: dict[str, Any]) -> tuple[str, ...]:
    """Files on the message and inside its attachments (a forwarded message keeps its own)."""
    found = _dicts(message.get("files"))
    for att in _dicts(message.get("attachments")):
        found += _dicts(att.get("files"))
    names = (str(f.get("name") or f.get("title") or f.get("id") or "") for f in found)
    return tuple(n for n in names if n)


def read_message(message: dict[str, Any], names: Mapping[str, str] | None = None) -> ReadMessage:
    """`text` unless it is empty or Slack's "can't be displayed" fallback, else the blocks;
    then every attachment. `names` maps user (and channel) ids to names; see mentioned_users."""
    names = names or {}
    text = message.get("text")
    body = readable(text, names).strip() if isinstance(text, str) else ""
    if not body or (isinstance(text, str) and text.strip() in SLACK_FALLBACKS):
        body = blocks_text(message.get("blocks"), names).strip()
    parts = [body] + [attachment_text(a, names) for a in _dicts(message.get("attachments"))]
    return ReadMessage("\n\n".join(p for p in parts if p), file_names(message))


_USER_TOKEN = re.compile(r"<@([UW][A-Z0-9]+)(?:\|[^>]*)?>")


def mentioned_users(message: dict[str, Any]) -> list[str]:
    """User ids mentioned anywhere in the message, first seen first (to look their names up)."""
    found: list[str] = _USER_TOKEN.findall(json.dumps(message, ensure_ascii=False))

    def walk(value: Any) -> None:
        if isinstance(value, dict):
            if value.get("type") == "user" and isinstance(value.get("user_id"), str):
                found.append(value["user_id"])
            for v in value.values():
                walk(v)
        elif isinstance(value, list):
            for v in value:
                walk(v)

    walk(message)
    return list(dict.fromkeys(found))
