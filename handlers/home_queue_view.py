"""The supervisors' part of the Home: the queue of open cases, one page of it.

No description, customer or reporter is shown (a Home may be on a shared screen); the case
number links to the alert, where the text is. The buttons are the alert's own (same action
ids, so the same listener, rules and audit): 確認 while nobody has acknowledged the case,
担当する while nobody holds it.
"""

from __future__ import annotations

from typing import Any

from bot.cases import actions
from bot.cases.home_types import PAGE_SIZE, Group, QueueLine, QueuePage
from bot.cases.queue import QUEUE_MAX
from bot.digest.format import duration_text
from bot.messages import Catalog
from handlers.alert_view import behaviour_text
from handlers.ids import Action, case_action_id
from handlers.text import button, context, escape, header, mrkdwn, section

Block = dict[str, Any]
DIVIDER: Block = {"type": "divider"}
# Most blocks this part takes: divider, header, summary, privacy note, four group headings,
# two per line, the page note and its buttons (handlers/home_view.py checks the whole view).
MAX_BLOCKS = 4 + len(Group) + 2 * PAGE_SIZE + 2


def _case_link(line: QueueLine) -> str:
    number = escape(line.case_number)
    if line.permalink and line.permalink.startswith("https://"):
        return f"*<{escape(line.permalink)}|{number}>*"
    return f"*{number}*"


def line_text(line: QueueLine, page: QueuePage, cat: Catalog, labels: dict[int, str]) -> str:
    holder = f"<@{line.owner_id}>" if line.owner_id else cat.t("home_queue.holder_none")
    age = (page.as_of - line.created_at).total_seconds()
    return cat.t(
        "home_queue.line",
        urgent=cat.t("home_queue.urgent_mark") if line.urgent else "",
        case_number=_case_link(line),
        behaviours=behaviour_text(line, cat, labels),
        age=duration_text(cat, age),
        holder=holder,
    )


def _alert_button(
    action: actions.CaseAction, value: str, cat: Catalog, style: str | None = None
) -> Block:
    """The alert's own button for `action`: same action_id and label (handlers/alert_view)."""
    return button(cat.t(f"alert.btn_{action.name}"), case_action_id(action.name), value, style)


def _line_blocks(line: QueueLine, text: str, cat: Catalog) -> list[Block]:
    value = str(line.id)
    buttons = []
    if not line.acknowledged:
        buttons.append(_alert_button(actions.ACK, value, cat, "primary"))
    if line.owner_id is None:
        buttons.append(_alert_button(actions.TAKE, value, cat))
    block: Block = {"type": "section", "block_id": f"home.line.{line.id}", "text": mrkdwn(text)}
    if len(buttons) == 1:
        return [block | {"accessory": buttons[0]}]
    if not buttons:
        return [block]
    return [block, {"type": "actions", "block_id": f"home.case.{line.id}", "elements": buttons}]


def _heading(group: Group, cat: Catalog, stale_days: int) -> Block:
    return section(cat.t(f"home_queue.{group}", days=stale_days))


def _nav(page: QueuePage, cat: Catalog) -> list[Block]:
    last = page.first + len(page.lines) - 1
    shown = min(page.total, QUEUE_MAX)
    notes = [cat.t("home_queue.page", first=page.first, last=last, count=shown)]
    if page.total > QUEUE_MAX:
        notes.append(cat.t("home_queue.beyond", count=page.total - QUEUE_MAX))
    blocks = [context("\n".join(notes))]
    buttons = []
    if page.page + 1 < page.pages:
        buttons.append(button(cat.t("home_queue.more"), Action.HOME_MORE, str(page.page + 1)))
    if page.page > 0:
        buttons.append(
            button(cat.t("home_queue.previous"), Action.HOME_PREVIOUS, str(page.page - 1))
        )
    if page.page > 1:
        buttons.append(button(cat.t("home_queue.first_page"), Action.HOME_FIRST, "0"))
    if buttons:
        blocks.append({"type": "actions", "block_id": "home.queue.pages", "elements": buttons})
    return blocks


def build_queue(
    page: QueuePage, cat: Catalog, labels: dict[int, str], stale_days: int
) -> list[Block]:
    """Blocks of the supervisors' part (at most MAX_BLOCKS): a summary of every open case,
    then this page's lines under their group's heading, then where this page is."""
    counts = page.counts
    summary = cat.t(
        "home_queue.summary",
        unacked=counts[Group.UNACKED],
        stale=counts[Group.STALE],
        mine=page.held,
        others=counts[Group.OTHERS],
        total=page.total,
    )
    blocks: list[Block] = [DIVIDER, header(cat.t("home_queue.header")), context(summary)]
    if not page.lines:
        return [*blocks, section(cat.t("home_queue.empty"))]
    blocks.append(context(cat.t("home_queue.privacy")))
    group: Group | None = None
    for line in page.lines:
        if line.group != group:
            group = line.group
            blocks.append(_heading(group, cat, stale_days))
        blocks += _line_blocks(line, line_text(line, page, cat, labels), cat)
    if page.pages > 1:
        blocks += _nav(page, cat)
    return blocks
