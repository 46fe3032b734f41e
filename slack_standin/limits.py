"""Block Kit validation for messages and views.

Two passes: explicit checks of Slack's documented limits (slack_sdk misses several, e.g. the
10-option cap on checkboxes), then slack_sdk's own model validation (`Block.parse(...).to_dict()`,
`View(**v).to_dict()`) for whatever the first pass does not know about.
"""

from __future__ import annotations

import secrets
from typing import Any

from slack_sdk.errors import SlackObjectFormationError
from slack_sdk.models.blocks import Block
from slack_sdk.models.views import View

from slack_standin.limits_elements import Checker, check_element

MESSAGE_BLOCKS = 50
VIEW_BLOCKS = 100
MESSAGE_TEXT = 40000
KNOWN_BLOCKS = frozenset(
    {
        "section",
        "divider",
        "image",
        "actions",
        "context",
        "input",
        "header",
        "file",
        "video",
        "rich_text",
        "markdown",
        "table",
        "context_actions",
        "call",
    }
)


def _check_section(c: Checker, block: dict[str, Any], p: str) -> None:
    if block.get("text") is None and block.get("fields") is None:
        c.err("must provide either text or fields", p)
    c.optional_text(block.get("text"), f"{p}/text", 3000)
    for i, field in enumerate(c.items(block.get("fields"), f"{p}/fields", 10)):
        c.text(field, f"{p}/fields/{i}", 2000)
    if block.get("accessory") is not None:
        check_element(c, block["accessory"], f"{p}/accessory")


def _check_input(c: Checker, block: dict[str, Any], p: str) -> None:
    c.text(block.get("label"), f"{p}/label", 2000, plain=True)
    c.optional_text(block.get("hint"), f"{p}/hint", 2000, plain=True)
    if block.get("element") is None:
        c.err("missing required field: element", p)
    else:
        check_element(c, block["element"], f"{p}/element")


def _check_block_body(c: Checker, block: dict[str, Any], p: str) -> None:
    kind = block["type"]
    if kind == "section":
        _check_section(c, block, p)
    elif kind == "header":
        c.text(block.get("text"), f"{p}/text", 150, plain=True)
    elif kind == "actions":
        for i, el in enumerate(c.items(block.get("elements"), f"{p}/elements", 25, 1)):
            check_element(c, el, f"{p}/elements/{i}")
    elif kind == "context":
        for i, el in enumerate(c.items(block.get("elements"), f"{p}/elements", 10, 1)):
            if isinstance(el, dict) and el.get("type") == "image":
                check_element(c, el, f"{p}/elements/{i}")
            else:
                c.text(el, f"{p}/elements/{i}", 3000)
    elif kind == "input":
        _check_input(c, block, p)
    elif kind == "image":
        check_element(c, block, p)
        c.optional_text(block.get("title"), f"{p}/title", 2000, plain=True)


def _action_ids(block: dict[str, Any]) -> list[str]:
    elements = list(block.get("elements") or [])
    elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
    return [e["action_id"] for e in elements if isinstance(e, dict) and "action_id" in e]


def _check_blocks(c: Checker, blocks: Any, p: str, limit: int) -> None:
    seen: set[str] = set()
    for i, block in enumerate(c.items(blocks, p, limit)):
        bp = f"{p}/{i}"
        if not isinstance(block, dict) or not isinstance(block.get("type"), str):
            c.err("missing required field: type", bp)
            continue
        if block["type"] not in KNOWN_BLOCKS:
            c.err(f"unsupported type: {block['type']}", f"{bp}/type")
            continue
        c.ident(block, "block_id", bp)
        block_id = block.get("block_id")
        if block_id in seen:
            c.err(f"duplicate block_id: {block_id}", f"{bp}/block_id")
        if isinstance(block_id, str):
            seen.add(block_id)
        action_ids = _action_ids(block)
        if len(action_ids) != len(set(action_ids)):
            c.err("action_id must be unique within a block", bp)
        _check_block_body(c, block, bp)


def _sdk_pass(c: Checker, blocks: list[Any], p: str) -> None:
    """slack_sdk's recursive validation; only consulted where our checks found nothing."""
    for i, block in enumerate(blocks):
        try:
            parsed = Block.parse(block)
            if parsed is not None:
                parsed.to_dict()
        except (SlackObjectFormationError, TypeError, ValueError, AttributeError) as exc:
            c.err(str(exc), f"{p}/{i}")


def check_message(text: Any, blocks: Any, utf16: bool = False) -> list[str]:
    """Errors for chat.postMessage/update/postEphemeral blocks (pointer root /blocks);
    `utf16` counts text lengths in UTF-16 code units."""
    c = Checker(utf16)
    _check_blocks(c, blocks, "/blocks", MESSAGE_BLOCKS)
    if not c.errors and isinstance(blocks, list):
        _sdk_pass(c, blocks, "/blocks")
    return c.errors


def message_too_long(text: Any) -> bool:
    return isinstance(text, str) and len(text) > MESSAGE_TEXT


def _check_view_frame(c: Checker, view: dict[str, Any]) -> None:
    kind = view.get("type")
    if kind not in ("modal", "home"):
        c.err("must be one of modal, home", "/view/type")
    if kind == "modal" or view.get("title") is not None:
        c.text(view.get("title"), "/view/title", 24, plain=True)
    for key in ("submit", "close"):
        c.optional_text(view.get(key), f"/view/{key}", 24, plain=True)
    c.max_len(view.get("private_metadata"), 3000, "/view/private_metadata")
    c.ident(view, "callback_id", "/view")
    c.ident(view, "external_id", "/view")
    raw_blocks = view.get("blocks")
    blocks: list[Any] = raw_blocks if isinstance(raw_blocks, list) else []
    has_input = any(isinstance(b, dict) and b.get("type") == "input" for b in blocks)
    if kind == "modal" and has_input and view.get("submit") is None:
        c.err("submit is required when a view has input blocks", "/view/submit")


def check_view(view: Any) -> list[str]:
    """Errors for views.open/push/update/publish and response_action views (root /view)."""
    c = Checker()
    if not isinstance(view, dict):
        c.err("must be an object", "/view")
        return c.errors
    _check_view_frame(c, view)
    if view.get("blocks") is None:
        c.err("missing required field: blocks", "/view")
    _check_blocks(c, view.get("blocks"), "/view/blocks", VIEW_BLOCKS)
    if not c.errors:
        try:
            View(**view).to_dict()
        except (SlackObjectFormationError, TypeError, ValueError, AttributeError) as exc:
            c.err(str(exc), "/view")
    return c.errors


def stamp_ids(blocks: Any) -> Any:
    """Give blocks and elements the random block_id/action_id Slack assigns when omitted."""
    if not isinstance(blocks, list):
        return blocks
    for block in blocks:
        if not isinstance(block, dict):
            continue
        block.setdefault("block_id", secrets.token_urlsafe(4)[:5])
        elements = list(block.get("elements") or []) if block.get("type") == "actions" else []
        elements += [block[k] for k in ("accessory", "element") if isinstance(block.get(k), dict)]
        for el in elements:
            if isinstance(el, dict) and el.get("type") not in (None, "image"):
                el.setdefault("action_id", secrets.token_urlsafe(4)[:5])
    return blocks
