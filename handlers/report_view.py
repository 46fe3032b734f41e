"""The report modal as a plain function returning a view dict, and its parsing."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from bot.cases.domain import CUSTOMER_MAX, DESCRIPTION_MAX, ContactChannel, ReportInput, Support
from bot.messages import Catalog
from bot.privacy.customer_key import KEY_INPUT_MAX
from handlers.envelope import as_dict
from handlers.ids import Action, Block, Callback
from handlers.slack_limits import (
    INPUT_HINT_MAX,
    INPUT_LABEL_MAX,
    PLACEHOLDER_MAX,
)
from handlers.text import clean, clip, context, modal, option, plain


def _input(
    block: Block,
    label: str,
    element: dict[str, Any],
    optional: bool = False,
    hint: str | None = None,
) -> dict[str, Any]:
    block_dict: dict[str, Any] = {
        "type": "input",
        "block_id": block,
        "label": plain(label, INPUT_LABEL_MAX),
        "element": element,
        "optional": optional,
    }
    if hint:
        block_dict["hint"] = plain(hint, INPUT_HINT_MAX)
    return block_dict


def _radio(action: Action, options: list[dict[str, Any]], initial: str) -> dict[str, Any]:
    chosen = next(o for o in options if o["value"] == initial)
    return {
        "type": "radio_buttons",
        "action_id": action,
        "options": options,
        "initial_option": chosen,
    }


@dataclass(frozen=True)
class SourceLink:
    """Where a report opened from a message came from. `permalink` None and not `pending`:
    Slack gave no link (the bot cannot see that conversation); `pending`: still being asked."""

    permalink: str | None
    pending: bool = False


def _source_blocks(cat: Catalog, source: SourceLink | None) -> list[dict[str, Any]]:
    if source is None or source.pending:
        return []
    if source.permalink:
        return [context(cat.t("modal.prefilled_from", permalink=source.permalink))]
    return [context(cat.t("modal.source_unlinked"))]


def _metadata(source: SourceLink | None) -> str:
    """Carried to the submission: a message's report with no link is stored with "" (the alert
    then says the link could not be had), a report not made from a message with None."""
    if source is None:
        return "{}"
    return json.dumps({"source": True, "permalink": source.permalink or ""})


def build_report_modal(
    cat: Catalog,
    behaviours: list[tuple[int, str]],
    now: datetime,
    description: str = "",
    source: SourceLink | None = None,
) -> dict[str, Any]:
    """`behaviours` are (number, label) pairs from the policy: 13 of them, so a multi-select
    rather than checkboxes, which Slack caps at 10 options. `description` is plain text (it
    goes into a plain_text_input); `source` is set when opened from a message."""
    contacts = [option(cat.t(f"contact.{c}"), c) for c in ContactChannel]
    urgency = [option(cat.t(f"urgency.{u}"), u) for u in ("urgent", "after")]
    support = [option(cat.t(f"support.{s}"), s) for s in Support]
    description_el: dict[str, Any] = {
        "type": "plain_text_input",
        "action_id": Action.DESCRIPTION,
        "multiline": True,
        "max_length": DESCRIPTION_MAX,
        "placeholder": plain(cat.t("modal.description_placeholder"), PLACEHOLDER_MAX),
    }
    if description:
        description_el["initial_value"] = clip(description, DESCRIPTION_MAX)
    blocks: list[dict[str, Any]] = [context(cat.t("modal.intro")), *_source_blocks(cat, source)]
    blocks += [
        _input(
            Block.OCCURRED,
            cat.t("modal.occurred_label"),
            {
                "type": "datetimepicker",
                "action_id": Action.OCCURRED,
                "initial_date_time": int(now.timestamp()),
            },
        ),
        _input(
            Block.CONTACT,
            cat.t("modal.contact_label"),
            {
                "type": "static_select",
                "action_id": Action.CONTACT,
                "options": contacts,
                "placeholder": plain(cat.t("modal.contact_placeholder"), PLACEHOLDER_MAX),
            },
        ),
        _input(
            Block.BEHAVIOURS,
            cat.t("modal.behaviours_label"),
            {
                "type": "multi_static_select",
                "action_id": Action.BEHAVIOURS,
                "options": [option(label, str(n)) for n, label in behaviours],
                "placeholder": plain(cat.t("modal.behaviours_placeholder"), PLACEHOLDER_MAX),
            },
            optional=True,
        ),
        _input(
            Block.DESCRIPTION,
            cat.t("modal.description_label"),
            description_el,
            hint=cat.t("modal.description_hint"),
        ),
        _input(
            Block.CUSTOMER,
            cat.t("modal.customer_label"),
            {
                "type": "plain_text_input",
                "action_id": Action.CUSTOMER,
                "max_length": CUSTOMER_MAX,
                "placeholder": plain(cat.t("modal.customer_placeholder"), PLACEHOLDER_MAX),
            },
            optional=True,
        ),
        _customer_key_input(cat),
        _input(
            Block.URGENCY, cat.t("modal.urgency_label"), _radio(Action.URGENCY, urgency, "after")
        ),
        _input(
            Block.SUPPORT, cat.t("modal.support_label"), _radio(Action.SUPPORT, support, "none")
        ),
    ]
    return modal(
        cat.t("modal.title"),
        blocks,
        close=cat.t("modal.close"),
        submit=cat.t("modal.submit"),
        callback_id=Callback.REPORT,
        private_metadata=_metadata(source),
    )


def _customer_key_input(cat: Catalog) -> dict[str, Any]:
    """Optional; used only to link reports about the same customer (stored encrypted, and
    as a keyed hash: bot/privacy/customer_key.py)."""
    element = {
        "type": "plain_text_input",
        "action_id": Action.CUSTOMER_KEY,
        "max_length": KEY_INPUT_MAX,
        "placeholder": plain(cat.t("modal.customer_key_placeholder"), 150),
    }
    return _input(
        Block.CUSTOMER_KEY,
        cat.t("modal.customer_key_label"),
        element,
        optional=True,
        hint=cat.t("modal.customer_key_hint"),
    )


def _value(values: dict[str, Any], block: Block, action: Action) -> dict[str, Any]:
    return as_dict(as_dict(values.get(block)).get(action))


def _text(values: dict[str, Any], block: Block, action: Action) -> str:
    raw = _value(values, block, action).get("value")
    return clean(raw) if isinstance(raw, str) else ""


def _selected(values: dict[str, Any], block: Block, action: Action) -> str:
    chosen = _value(values, block, action).get("selected_option") or {}
    return str(chosen.get("value", "")) if isinstance(chosen, dict) else ""


def _numbers(values: dict[str, Any]) -> tuple[int, ...]:
    chosen = _value(values, Block.BEHAVIOURS, Action.BEHAVIOURS).get("selected_options") or []
    numbers = []
    for item in chosen if isinstance(chosen, list) else []:
        value = str(item.get("value", "")) if isinstance(item, dict) else ""
        # isdigit() alone passes "²", which int() refuses; three digits are plenty for ①–⑬.
        ok = value.isascii() and value.isdigit() and len(value) <= 3
        numbers.append(int(value) if ok else -1)
    return tuple(numbers)


def _occurred(values: dict[str, Any]) -> datetime | None:
    """The picked time; None when the picker came back empty."""
    raw = _value(values, Block.OCCURRED, Action.OCCURRED).get("selected_date_time")
    if isinstance(raw, int | float) or (isinstance(raw, str) and raw.isascii() and raw.isdigit()):
        try:
            return datetime.fromtimestamp(int(raw), UTC)
        except (OverflowError, OSError, ValueError):
            # No such moment: reported as a time in the future, on the field.
            return datetime.max.replace(tzinfo=UTC)
    return None


def parse_report(view: dict[str, Any], user_id: str, team_id: str, now: datetime) -> ReportInput:
    """Turn Slack's view state into the domain's input; validation happens in the domain."""
    values = as_dict(as_dict(view.get("state")).get("values"))
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        meta = {}
    meta = meta if isinstance(meta, dict) else {}
    permalink = meta.get("permalink")
    if meta.get("source") is True and not isinstance(permalink, str):
        permalink = ""
    occurred = _occurred(values)
    return ReportInput(
        reporter_id=user_id,
        team_id=team_id,
        occurred_at=occurred or now,
        occurred_given=occurred is not None,
        contact_channel=_selected(values, Block.CONTACT, Action.CONTACT),
        behaviours=_numbers(values),
        description=_text(values, Block.DESCRIPTION, Action.DESCRIPTION),
        customer=_text(values, Block.CUSTOMER, Action.CUSTOMER) or None,
        urgent=_selected(values, Block.URGENCY, Action.URGENCY) == "urgent",
        support=_selected(values, Block.SUPPORT, Action.SUPPORT) or Support.NONE,
        source_permalink=clean(permalink) if isinstance(permalink, str) else None,
        customer_key=_text(values, Block.CUSTOMER_KEY, Action.CUSTOMER_KEY).strip() or None,
    )
