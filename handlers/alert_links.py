"""The supervisors' part of an alert about a customer seen before: the earlier reports, and
at the configured count the policy's own words on the police and lawyers."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from typing import Any

from bot.cases.domain import CaseLinks, CaseView
from bot.messages import Catalog
from handlers.slack_limits import SECTION_TEXT_MAX
from handlers.text import clip, escape, quote, section

Fmt = Callable[[datetime], str]  # the clock's local formatting


def _earlier_lines(links: CaseLinks, cat: Catalog, fmt: Fmt) -> list[str]:
    lines = []
    for linked in links.earlier:
        status = cat.t(f"state.{linked.status}")
        if linked.escalated:
            status += cat.t("links.escalated_mark")
        lines.append(
            cat.t(
                "links.line",
                case_number=linked.case_number,
                received=fmt(linked.created_at),
                status=status,
            )
        )
    hidden = links.total - len(links.earlier)
    if hidden > 0:
        lines.append(cat.t("links.more", count=hidden))
    return lines


def _suggestion(links: CaseLinks, cat: Catalog) -> dict[str, Any]:
    count = links.total + 1
    lines = [cat.t("links.suggest", count=count)]
    if links.policy_text and links.policy_heading:
        lines.append(cat.t("links.policy_heading", heading=links.policy_heading))
        lines.append(quote(links.policy_text))
    return section(clip("\n".join(lines), SECTION_TEXT_MAX))


def link_blocks(case: CaseView, cat: Catalog, fmt: Fmt) -> list[dict[str, Any]]:
    """The customer key as typed, the earlier reports (count, numbers, dates, states) and,
    at KASUHARA_LINK_THRESHOLD, the suggestion with the policy passage quoted verbatim."""
    if case.purged or not case.customer_key:
        return []
    blocks = [section(cat.t("alert.customer_key", customer_key=escape(case.customer_key)))]
    links = case.links
    if links is None or not links.total:
        return blocks
    lines = [cat.t("links.heading", count=links.total), *_earlier_lines(links, cat, fmt)]
    blocks.append(section(clip("\n".join(lines), SECTION_TEXT_MAX)))
    if links.suggest_escalation:
        blocks.append(_suggestion(links, cat))
    return blocks
