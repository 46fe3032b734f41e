"""Slack messages and views as readable terminal text, for the demo."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from bot.delivery.slack_text import readable


def _text(obj: Any, names: Mapping[str, str]) -> str:
    raw = obj.get("text", "") if isinstance(obj, dict) else str(obj or "")
    return readable(raw, names)


def _block_lines(block: dict[str, Any], names: Mapping[str, str]) -> list[str]:
    kind = block.get("type")
    if kind == "header":
        return [f"【{_text(block.get('text'), names)}】"]
    if kind == "section":
        lines = [_text(block["text"], names)] if block.get("text") else []
        lines += [_text(f, names).replace("\n", ": ", 1) for f in block.get("fields", [])]
        return lines
    if kind == "context":
        return [_text(e, names) for e in block.get("elements", [])]
    if kind == "actions":
        return ["  ".join(f"[{_text(e.get('text'), names)}]" for e in block.get("elements", []))]
    if kind == "input":
        return [f"□ {_text(block.get('label'), names)}"]
    return []


def message_text(message: dict[str, Any], names: Mapping[str, str]) -> str:
    blocks = message.get("blocks") or []
    if not blocks:
        return _text(message, names)
    lines: list[str] = []
    for block in blocks:
        lines += _block_lines(block, names)
    return "\n".join(lines)


def view_text(view: dict[str, Any], names: Mapping[str, str]) -> str:
    title = _text(view.get("title"), names)
    body = message_text({"blocks": view.get("blocks", [])}, names)
    submit = _text(view.get("submit"), names) if view.get("submit") else ""
    return f"┏ {title}\n{body}" + (f"\n[{submit}]" if submit else "")


def indent(text: str, prefix: str = "    ") -> str:
    return "\n".join(prefix + line for line in text.splitlines())
