"""The supervisors' alert: one plain function of the case, re-rendered on every change."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any, Protocol

from bot.cases.domain import CaseView
from bot.messages import Catalog
from handlers.alert_actions import ALERT_BUTTONS
from handlers.alert_links import link_blocks
from handlers.ids import Action, Block
from handlers.slack_limits import (
    CONFIRM_BUTTON_MAX,
    CONFIRM_TEXT_MAX,
    CONFIRM_TITLE_MAX,
    FIELD_TEXT_MAX,
    SECTION_TEXT_MAX,
)
from handlers.text import (
    button,
    clip,
    context,
    escape,
    header,
    mrkdwn,
    plain,
    section,
    slack_length,
    split_escaped,
)

Fmt = Callable[[datetime], str]  # the clock's local formatting


class Classified(Protocol):
    """Anything that carries a case's behaviours: a CaseView, or a line of the queue."""

    @property
    def behaviours(self) -> tuple[int, ...]: ...

    @property
    def suggested_behaviours(self) -> tuple[int, ...]: ...


def behaviour_text(case: Classified, cat: Catalog, labels: dict[int, str]) -> str:
    """The chosen behaviours by name, else the suggested ones marked as estimated."""

    def names(numbers: tuple[int, ...]) -> list[str]:
        return [labels.get(n, str(n)) for n in numbers]

    if case.behaviours:
        return "、".join(names(case.behaviours))
    if case.suggested_behaviours:
        return "、".join(
            f"{name}{cat.t('alert.estimated')}" for name in names(case.suggested_behaviours)
        )
    return cat.t("alert.behaviours_none")


def _status_lines(case: CaseView, cat: Catalog, fmt: Fmt) -> list[str]:
    lines = [cat.t("state.status_line", status=cat.t(f"state.{case.status}"))]
    steps = [
        ("line_ack", case.acknowledged_by, case.acknowledged_at),
        ("line_take", case.owner_id, case.owned_at),
        ("line_escalate", case.escalated_by, case.escalated_at),
        ("line_resolve", case.resolved_by, case.resolved_at),
    ]
    for key, who, when in steps:
        if who and when:
            lines.append(cat.t(f"state.{key}", who=f"<@{who}>", when=fmt(when)))
    return lines


def _fields(case: CaseView, cat: Catalog, labels: dict[int, str], fmt: Fmt) -> list[dict[str, Any]]:
    urgency = cat.t("urgency.urgent_badge" if case.urgent else "urgency.after_badge")
    texts = [
        cat.t("alert.reporter", reporter=f"<@{case.reporter_id}>"),
        cat.t("alert.occurred", occurred=fmt(case.occurred_at)),
        cat.t("alert.contact", contact=cat.t(f"contact.{case.contact_channel}")),
        cat.t("alert.urgency", urgency=urgency),
        cat.t("alert.behaviours", behaviours=behaviour_text(case, cat, labels)),
        cat.t("alert.support", support=cat.t(f"support.{case.support}")),
    ]
    return [mrkdwn(t, FIELD_TEXT_MAX) for t in texts]


# A part in the thread: its heading and the text, well inside a section's 3,000.
PART_ROOM = SECTION_TEXT_MAX - 100


def description_split(case: CaseView, cat: Catalog) -> list[str]:
    """The description, escaped, in the parts Slack takes: the first fits the alert's
    section with its label and the "continued in the thread" note, the others a section of
    their own. Counted in UTF-16 units after escaping (handlers/text.py)."""
    if case.purged or case.description is None:
        return []
    label = cat.t("alert.description", description="")
    first_room = SECTION_TEXT_MAX - slack_length(label + cat.t("alert.continued")) - 10
    return split_escaped(case.description, first_room, PART_ROOM)


def _first_part(case: CaseView, cat: Catalog) -> str:
    parts = description_split(case, cat)
    more = cat.t("alert.continued") if len(parts) > 1 else ""
    return cat.t("alert.description", description=parts[0] + more)


def build_description_parts(case: CaseView, cat: Catalog) -> list[dict[str, Any]]:
    """Messages for the thread: every part of the description after the first."""
    parts = description_split(case, cat)
    total = len(parts)
    messages = []
    for n, part in enumerate(parts[1:], start=2):
        heading = cat.t("alert.part", case_number=case.case_number, n=n, total=total)
        messages.append({"text": f"{heading}\n{part}", "blocks": [section(f"{heading}\n{part}")]})
    return messages


def build_safe_alert(
    case: CaseView, cat: Catalog, labels: dict[int, str], fmt: Fmt
) -> dict[str, Any]:
    """The alert as plain text only, for when Slack refused its blocks: no buttons (a reply
    in the thread acknowledges it), the description's first part, the rest in the thread."""
    urgency = cat.t("urgency.urgent" if case.urgent else "urgency.after")
    lines = [
        cat.t("alert.fallback", case_number=case.case_number, urgency=urgency),
        cat.t("alert.reporter", reporter=f"<@{case.reporter_id}>"),
        cat.t("alert.occurred", occurred=fmt(case.occurred_at)),
        cat.t("alert.behaviours", behaviours=escape(behaviour_text(case, cat, labels))),
        _first_part(case, cat) if case.description is not None else cat.t("alert.purged"),
        cat.t("alert.safe_form"),
    ]
    return {"text": "\n".join(lines)}


def _body(case: CaseView, cat: Catalog) -> list[dict[str, Any]]:
    if case.purged or case.description is None:
        return [section(cat.t("alert.purged"))]
    blocks = [section(_first_part(case, cat))]
    if case.customer:
        blocks.append(section(cat.t("alert.customer", customer=escape(clip(case.customer, 2500)))))
    if case.source_permalink:
        blocks.append(section(cat.t("alert.source", permalink=escape(case.source_permalink))))
    elif case.source_permalink == "":  # reported from a message Slack gave no link for
        blocks.append(section(cat.t("alert.source_unlinked")))
    return blocks


def _buttons(case: CaseView, cat: Catalog) -> dict[str, Any]:
    value = str(case.id)
    elements = []
    for declared in ALERT_BUTTONS:
        name = declared.action.name
        element = button(cat.t(f"alert.btn_{name}"), declared.action_id, value, declared.style)
        if declared.confirm:
            element["confirm"] = {
                "title": plain(cat.t(f"alert.confirm_{name}_title"), CONFIRM_TITLE_MAX),
                "text": plain(cat.t(f"alert.confirm_{name}_text"), CONFIRM_TEXT_MAX),
                "confirm": plain(cat.t("alert.confirm_yes"), CONFIRM_BUTTON_MAX),
                "deny": plain(cat.t("alert.confirm_no"), CONFIRM_BUTTON_MAX),
            }
        elements.append(element)
    return {"type": "actions", "block_id": Block.ALERT_ACTIONS, "elements": elements}


def build_alert(case: CaseView, cat: Catalog, labels: dict[int, str], fmt: Fmt) -> dict[str, Any]:
    urgency = cat.t("urgency.urgent" if case.urgent else "urgency.after")
    text = cat.t("alert.fallback", case_number=case.case_number, urgency=urgency)
    if case.urgent and case.status != "resolved":
        text = f"{cat.t('alert.here_prefix')} {text}"
    blocks: list[dict[str, Any]] = [header(cat.t("alert.header", case_number=case.case_number))]
    if case.urgent and case.status == "new":
        blocks.append(section(cat.t("alert.here_prefix")))
    blocks += [{"type": "section", "fields": _fields(case, cat, labels, fmt)}, *_body(case, cat)]
    blocks += link_blocks(case, cat, fmt)
    blocks.append(context("\n".join(_status_lines(case, cat, fmt))))
    if case.status != "resolved":
        blocks.append(_buttons(case, cat))
    if not case.purged:
        blocks.append(_record_button(case, cat))
    return {"text": text, "blocks": blocks}


def _record_button(case: CaseView, cat: Catalog) -> dict[str, Any]:
    """Stays after resolution: the record with the outcome is what the police or a lawyer
    needs. Its own block, so a resolved alert offers nothing else."""
    element = button(cat.t("alert.btn_record"), Action.RECORD, str(case.id))
    return {"type": "actions", "block_id": Block.RECORD_ACTIONS, "elements": [element]}


def format_time(moment: datetime) -> str:
    """For supervisors: `moment` already in the configured zone (clock.local)."""
    return moment.strftime("%Y/%m/%d %H:%M")


def reader_time(local: datetime) -> str:
    """For a person in their own Slack time zone: Slack renders `<!date^epoch^format|fallback>`
    in the reader's zone and language (https://api.slack.com/reference/surfaces/formatting,
    "Date formatting"); mrkdwn only. `local` is the moment in the configured zone, which the
    fallback (for clients that cannot render it) shows with the zone's name."""
    epoch = int(local.timestamp())
    fallback = f"{format_time(local)} {local.tzname() or ''}".strip()
    return f"<!date^{epoch}^{{date_short_pretty}} {{time}}|{fallback}>"
