"""The App Home tab: everyone's own part, then the supervisors' and HR's parts for members.

Slack allows 100 blocks in a Home view; each part has a fixed most, so the whole always fits
(checked here, so a change that breaks it fails loudly in tests, not silently in Slack).
"""

from __future__ import annotations

from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

from bot.cases.domain import CaseView
from bot.cases.home import OWN_REPORTS
from bot.cases.home_types import HomeData
from bot.messages import Catalog
from handlers.alert_view import format_time
from handlers.home_hr_view import build_hr
from handlers.home_queue_view import build_queue
from handlers.ids import Action
from handlers.slack_limits import VIEW_BLOCKS_MAX
from handlers.text import button, context, header, section


def slack_date(moment: datetime, zone: ZoneInfo) -> str:
    """A time Slack shows in the reader's own time zone; the fallback is the organisation's."""
    fallback = format_time(moment.astimezone(zone))
    return f"<!date^{int(moment.timestamp())}^{{date_short_pretty}} {{time}}|{fallback}>"


def _own_reports(cases: list[CaseView], cat: Catalog, zone: ZoneInfo) -> list[dict[str, Any]]:
    if not cases:
        return [section(cat.t("home.mine")), context(cat.t("command.status_none"))]
    lines = [cat.t("home.mine")]
    lines += [
        cat.t(
            "home.mine_line",
            case_number=case.case_number,
            status=cat.t(f"state.{case.status}"),
            occurred=slack_date(case.occurred_at, zone),
            received=slack_date(case.created_at, zone),
        )
        for case in cases
    ]
    blocks = [section("\n".join(lines))]
    if len(cases) >= OWN_REPORTS:
        blocks.append(context(cat.t("home.mine_limit", count=len(cases))))
    return blocks


def _top(cat: Catalog) -> list[dict[str, Any]]:
    buttons = [
        button(cat.t("home.report_button"), Action.HOME_REPORT, "open", "primary"),
        button(cat.t("home.ask_button"), Action.HOME_ASK, "open"),
    ]
    return [
        header(cat.t("home.title")),
        section(cat.t("home.intro")),
        {"type": "actions", "block_id": "home.top", "elements": buttons},
    ]


def build_home(
    data: HomeData, cat: Catalog, labels: dict[int, str], zone: ZoneInfo, stale_days: int
) -> dict[str, Any]:
    """The whole Home for `data.user`: the parts their roles allow, and nothing else."""
    blocks = _top(cat)
    if data.queue is not None:
        blocks += build_queue(data.queue, cat, labels, stale_days)
    if data.hr is not None:
        blocks += build_hr(data.hr, cat)
    blocks += [{"type": "divider"}, *_own_reports(data.own, cat, zone)]
    blocks.append(context(cat.t("home.ask")))
    if len(blocks) > VIEW_BLOCKS_MAX:
        raise ValueError(f"Home has {len(blocks)} blocks; Slack allows {VIEW_BLOCKS_MAX}")
    return {"type": "home", "blocks": blocks}
