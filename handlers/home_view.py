"""The App Home tab: a report button, the person's own reports, and how to ask."""

from __future__ import annotations

from typing import Any

from bot.cases.domain import CaseView
from bot.messages import Catalog
from handlers.ids import Action
from handlers.text import button, context, header, section

HOME_LIST_MAX = 20


def build_home(cat: Catalog, cases: list[CaseView], fmt: Any) -> dict[str, Any]:
    """`cases` are the viewer's own reports only, newest first."""
    blocks: list[dict[str, Any]] = [
        header(cat.t("home.title")),
        section(cat.t("home.intro")),
        {
            "type": "actions",
            "elements": [
                button(cat.t("home.report_button"), Action.HOME_REPORT, "open", "primary")
            ],
        },
        {"type": "divider"},
        section(cat.t("home.mine")),
    ]
    if not cases:
        blocks.append(context(cat.t("command.status_none")))
    for case in cases[:HOME_LIST_MAX]:
        line = cat.t(
            "command.status_line",
            case_number=case.case_number,
            occurred=fmt(case.occurred_at),
            status=cat.t(f"state.{case.status}"),
        )
        blocks.append(section(line))
    blocks += [{"type": "divider"}, context(cat.t("home.ask"))]
    return {"type": "home", "blocks": blocks}
