"""HR's part of the Home: this week so far beside last week, the eight-week trend, and the
buttons for the digest and the CSV (the same rules as `/kasuhara digest` and `export`).

Figures only, as in the digest: nothing names a person or quotes a report. The trend is drawn
as bars of text: an image block needs a public image URL or a Slack file the viewer can open,
and the chart PNG is only uploaded to the HR channel with the weekly digest.
"""

from __future__ import annotations

from typing import Any

from bot.cases.home_types import HrWeeks
from bot.digest.figures import DigestFigures
from bot.digest.format import duration_text, period_text, trend_chart
from bot.messages import Catalog
from handlers.ids import Action
from handlers.slack_limits import FIELD_TEXT_MAX
from handlers.text import button, context, header, mrkdwn, section

Block = dict[str, Any]
BAR_WIDTH = 20  # characters of the longest bar
MAX_BLOCKS = 7


def _column(f: DigestFigures, cat: Catalog, title_key: str) -> list[str]:
    ack = (
        cat.t("home_hr.ack", median=duration_text(cat, f.ack_median_seconds))
        if f.ack_median_seconds is not None
        else cat.t("home_hr.ack_none")
    )
    return [
        cat.t(title_key, period=period_text(cat, f.start, f.end)),
        "\n".join(
            [
                cat.t("home_hr.total", count=f.total),
                cat.t("home_hr.urgent", count=f.urgent),
                ack,
                cat.t("home_hr.escalations", count=f.escalations),
            ]
        ),
    ]


def _figures(weeks: HrWeeks, cat: Catalog) -> Block:
    """Two columns: Slack lays a section's fields out two to a row."""
    this = _column(weeks.this_week, cat, "home_hr.this_week")
    last = _column(weeks.last_week, cat, "home_hr.last_week")
    texts = [this[0], last[0], this[1], last[1]]
    return {"type": "section", "fields": [mrkdwn(t, FIELD_TEXT_MAX) for t in texts]}


def trend_text(f: DigestFigures, cat: Catalog) -> str:
    chart = trend_chart(f, cat)
    top = max([*chart.counts, 1])
    lines = [f"*{chart.title}*"]
    for week, count in zip(chart.week_labels, chart.counts, strict=True):
        bar = "█" * round(count / top * BAR_WIDTH) if count else "▏"
        lines.append(cat.t("home_hr.trend_line", week=week, bar=bar, count=count))
    return "\n".join(lines)


def build_hr(weeks: HrWeeks, cat: Catalog) -> list[Block]:
    """Blocks of HR's part, at most MAX_BLOCKS."""
    f = weeks.this_week
    as_of = cat.t(
        "digest.as_of",
        month=f.as_of.month,
        day=f.as_of.day,
        hour=f.as_of.hour,
        minute=f.as_of.minute,
    )
    opened = cat.t("home_hr.open", total=sum(f.open_by_age), unacknowledged=f.open_unacknowledged)
    buttons = [
        button(cat.t("home_hr.digest_button"), Action.HOME_DIGEST, "digest"),
        button(cat.t("home_hr.export_button"), Action.HOME_EXPORT, "export"),
    ]
    return [
        {"type": "divider"},
        header(cat.t("home_hr.header")),
        context(f"{cat.t('home_hr.as_of', as_of=as_of)}\n{opened}"),
        _figures(weeks, cat),
        section(trend_text(f, cat)),
        context(cat.t("home_hr.trend_note")),
        {"type": "actions", "block_id": "home.hr", "elements": buttons},
    ]
