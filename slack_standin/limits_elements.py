"""Block Kit limits for composition objects and interactive elements (README.md's numbers).

Messages mimic Slack's: "[ERROR] must be less than 76 characters [json-pointer:/blocks/0/...]".
"""

from __future__ import annotations

from typing import Any

TEXT_TYPES = ("plain_text", "mrkdwn")
SELECT_TYPES = ("static_select", "multi_static_select")
OPTION_LIMITS = {"checkboxes": 10, "radio_buttons": 10, "overflow": 5}


class Checker:
    """Collects Slack-style error strings while walking a payload."""

    def __init__(self, utf16: bool = False) -> None:
        self.errors: list[str] = []
        self.utf16 = utf16  # count as some Slack surfaces do: an emoji outside the BMP is 2

    def length(self, value: str) -> int:
        return len(value.encode("utf-16-le")) // 2 if self.utf16 else len(value)

    def err(self, message: str, pointer: str) -> None:
        self.errors.append(f"[ERROR] {message} [json-pointer:{pointer}]")

    def max_len(self, value: Any, limit: int, pointer: str) -> None:
        if isinstance(value, str) and self.length(value) > limit:
            self.err(f"must be less than {limit + 1} characters", pointer)

    def items(self, seq: Any, pointer: str, limit: int, minimum: int = 0) -> list[Any]:
        """Check an array field; returns it (or [] when it is not an array)."""
        if seq is None:
            if minimum:
                self.err(f"missing required field: {pointer.rsplit('/', 1)[-1]}", pointer)
            return []
        if not isinstance(seq, list):
            self.err("must be an array", pointer)
            return []
        if len(seq) > limit:
            self.err(f"no more than {limit} items allowed", pointer)
        elif len(seq) < minimum:
            self.err(f"must provide at least {minimum} item{'s' * (minimum > 1)}", pointer)
        return seq

    def text(self, obj: Any, pointer: str, limit: int, plain: bool = False) -> None:
        """A text object; `plain` where Slack accepts only plain_text (labels, buttons...)."""
        if obj is None:
            parent, name = pointer.rsplit("/", 1)
            self.err(f"missing required field: {name}", parent or "/")
            return
        if not isinstance(obj, dict):
            self.err("must be a text object", pointer)
            return
        allowed = ("plain_text",) if plain else TEXT_TYPES
        if obj.get("type") not in allowed:
            self.err("failed to match all allowed schemas", pointer)
        text = obj.get("text")
        if not isinstance(text, str):
            self.err("missing required field: text", pointer)
        elif not text:
            self.err("must be more than 0 characters", f"{pointer}/text")
        self.max_len(text, limit, f"{pointer}/text")

    def optional_text(self, obj: Any, pointer: str, limit: int, plain: bool = False) -> None:
        if obj is not None:
            self.text(obj, pointer, limit, plain)

    def ident(self, obj: dict[str, Any], key: str, pointer: str) -> None:
        self.max_len(obj.get(key), 255, f"{pointer}/{key}")


def check_option(c: Checker, opt: Any, pointer: str, plain: bool) -> None:
    if not isinstance(opt, dict):
        c.err("must be an option object", pointer)
        return
    c.text(opt.get("text"), f"{pointer}/text", 75, plain)
    c.max_len(opt.get("value"), 150, f"{pointer}/value")
    c.optional_text(opt.get("description"), f"{pointer}/description", 75, plain)


def check_confirm(c: Checker, confirm: Any, pointer: str) -> None:
    if confirm is None:
        return
    if not isinstance(confirm, dict):
        c.err("must be a confirmation object", pointer)
        return
    c.text(confirm.get("title"), f"{pointer}/title", 100, plain=True)
    c.text(confirm.get("text"), f"{pointer}/text", 300)
    c.text(confirm.get("confirm"), f"{pointer}/confirm", 30, plain=True)
    c.text(confirm.get("deny"), f"{pointer}/deny", 30, plain=True)


def _check_options(c: Checker, el: dict[str, Any], pointer: str) -> None:
    kind = el.get("type", "")
    # Checkbox and radio labels may be mrkdwn; select and overflow options are plain text only.
    plain = kind not in ("checkboxes", "radio_buttons")
    if kind in OPTION_LIMITS:
        minimum = 2 if kind == "overflow" else 1
        options = c.items(el.get("options"), f"{pointer}/options", OPTION_LIMITS[kind], minimum)
    else:
        options = c.items(el.get("options"), f"{pointer}/options", 100)
        groups = c.items(el.get("option_groups"), f"{pointer}/option_groups", 100)
        for g, group in enumerate(groups):
            gp = f"{pointer}/option_groups/{g}"
            c.text(group.get("label") if isinstance(group, dict) else None, f"{gp}/label", 75, True)
            for o, opt in enumerate(c.items(group.get("options"), f"{gp}/options", 100, 1)):
                check_option(c, opt, f"{gp}/options/{o}", plain)
        if kind in SELECT_TYPES and el.get("options") is None and el.get("option_groups") is None:
            c.err("must provide either options or option_groups", pointer)
    for i, opt in enumerate(options):
        check_option(c, opt, f"{pointer}/options/{i}", plain)


def check_element(c: Checker, el: Any, pointer: str) -> None:
    if not isinstance(el, dict) or not isinstance(el.get("type"), str):
        c.err("missing required field: type", pointer)
        return
    kind = el["type"]
    c.ident(el, "action_id", pointer)
    c.optional_text(el.get("placeholder"), f"{pointer}/placeholder", 150, plain=True)
    check_confirm(c, el.get("confirm"), f"{pointer}/confirm")
    if kind == "button":
        c.text(el.get("text"), f"{pointer}/text", 75, plain=True)
        c.max_len(el.get("value"), 2000, f"{pointer}/value")
        c.max_len(el.get("url"), 3000, f"{pointer}/url")
        if el.get("style") not in (None, "primary", "danger"):
            c.err("must be one of primary, danger", f"{pointer}/style")
    elif kind in OPTION_LIMITS or kind in SELECT_TYPES:
        _check_options(c, el, pointer)
    elif kind == "plain_text_input":
        for key in ("max_length", "min_length"):
            value = el.get(key)
            if isinstance(value, int) and value > 3000:
                c.err("must be less than or equal to 3000", f"{pointer}/{key}")
    elif kind == "image":
        c.max_len(el.get("image_url"), 3000, f"{pointer}/image_url")
        c.max_len(el.get("alt_text"), 2000, f"{pointer}/alt_text")
