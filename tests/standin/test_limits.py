"""Block Kit limits straight from limits.py (README.md's numbers)."""

from __future__ import annotations

from typing import Any

import pytest

from slack_standin.limits import check_message, check_view

PT = "plain_text"


def text(n: int, kind: str = PT) -> dict[str, Any]:
    return {"type": kind, "text": "x" * n}


def option(text_len: int = 3, value_len: int = 3) -> dict[str, Any]:
    return {"text": text(text_len), "value": "v" * value_len}


def actions(element: dict[str, Any]) -> dict[str, Any]:
    return {"type": "actions", "elements": [element]}


def view(blocks: list[dict[str, Any]], **extra: Any) -> dict[str, Any]:
    return {"type": "modal", "title": text(5), "blocks": blocks, **extra}


CASES = [
    ({"type": "header", "text": text(151)}, "/blocks/0/text/text"),
    ({"type": "section", "fields": [text(5, "mrkdwn")] * 11}, "/blocks/0/fields"),
    ({"type": "section", "fields": [text(2001, "mrkdwn")]}, "/blocks/0/fields/0/text"),
    (
        actions({"type": "button", "action_id": "a", "text": text(76)}),
        "/blocks/0/elements/0/text/text",
    ),
    (
        actions({"type": "button", "action_id": "a", "text": text(3), "value": "v" * 2001}),
        "/blocks/0/elements/0/value",
    ),
    (
        actions({"type": "static_select", "action_id": "a", "options": [option()] * 101}),
        "/blocks/0/elements/0/options",
    ),
    (
        actions({"type": "static_select", "action_id": "a", "options": [option(76)]}),
        "/blocks/0/elements/0/options/0/text/text",
    ),
    (
        actions({"type": "radio_buttons", "action_id": "a", "options": [option(3, 151)]}),
        "/blocks/0/elements/0/options/0/value",
    ),
    (
        actions({"type": "button", "action_id": "a" * 256, "text": text(3)}),
        "/blocks/0/elements/0/action_id",
    ),
    ({"type": "divider", "block_id": "b" * 256}, "/blocks/0/block_id"),
    ({"type": "header", "text": text(5, "mrkdwn")}, "/blocks/0/text"),
    ({"type": "nonsense"}, "/blocks/0/type"),
]


@pytest.mark.parametrize(("block", "pointer"), CASES)
def test_message_limits(block: dict[str, Any], pointer: str) -> None:
    errors = check_message("fallback", [block])
    assert errors and errors[0].endswith(f"[json-pointer:{pointer}]"), errors


def input_block(element: dict[str, Any], label: int = 5) -> dict[str, Any]:
    return {"type": "input", "block_id": "b", "label": text(label), "element": element}


VIEW_CASES = [
    (
        view([input_block({"type": "plain_text_input", "action_id": "t"}, 2001)], submit=text(4)),
        "/view/blocks/0/label/text",
    ),
    (
        view(
            [input_block({"type": "plain_text_input", "action_id": "t", "placeholder": text(151)})],
            submit=text(4),
        ),
        "/view/blocks/0/element/placeholder/text",
    ),
    (
        view(
            [input_block({"type": "plain_text_input", "action_id": "t", "max_length": 3001})],
            submit=text(4),
        ),
        "/view/blocks/0/element/max_length",
    ),
    (view([{"type": "divider"}], private_metadata="m" * 3001), "/view/private_metadata"),
    (view([{"type": "divider"}], close=text(25)), "/view/close/text"),
    (view([{"type": "divider"}], submit=text(25)), "/view/submit/text"),
    (view([{"type": "divider"}] * 101), "/view/blocks"),
    (view([input_block({"type": "plain_text_input", "action_id": "t"})]), "/view/submit"),
]


@pytest.mark.parametrize(("payload", "pointer"), VIEW_CASES)
def test_view_limits(payload: dict[str, Any], pointer: str) -> None:
    errors = check_view(payload)
    assert errors and errors[0].endswith(f"[json-pointer:{pointer}]"), errors


def test_valid_payloads_pass() -> None:
    blocks = [
        {"type": "header", "text": text(150)},
        {"type": "section", "text": text(3000, "mrkdwn"), "fields": [text(2000, "mrkdwn")] * 10},
        actions({"type": "checkboxes", "action_id": "c", "options": [option(75, 150)] * 10}),
        {"type": "context", "elements": [text(10, "mrkdwn")]},
    ]
    assert check_message("x", blocks) == []
    ok_view = view(
        [input_block({"type": "plain_text_input", "action_id": "t", "max_length": 3000}, 2000)],
        title=text(24),
        submit=text(24),
        close=text(24),
        private_metadata="m" * 3000,
    )
    assert check_view(ok_view) == []


def test_sdk_pass_catches_what_explicit_checks_do_not() -> None:
    errors = check_message("x", [{"type": "section"}])
    assert errors and "/blocks/0" in errors[0]
