"""The digest in words and files: paragraphs for Slack, terminal text, JSON, CSV, the chart's
labels, and the CSV of a week's cases. Wording comes from the catalogue's [digest] section.
"""

from __future__ import annotations

import csv
import dataclasses
import io
import json
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from bot.clock import as_utc, utcnow
from bot.config import Settings
from bot.digest.chart import TrendChart
from bot.digest.figures import (
    DigestFigures,
    behaviour_count,
    behaviour_labels,
    compute_figures,
)
from bot.digest.weeks import week_containing, week_span
from bot.messages import Catalog, catalog
from bot.policy.document import load_policy
from storage.db import engine_for, make_sessions

BANDS = ("band_0", "band_1", "band_2", "band_3")


@dataclass(frozen=True)
class DigestDoc:
    header: str
    fallback: str
    sections: list[str]  # mrkdwn paragraphs
    notes: list[str]  # small print under them


def circled(number: int) -> str:
    return chr(0x2460 + number - 1) if 1 <= number <= 20 else f"({number})"


def _day(cat: Catalog, moment: datetime | date) -> str:
    weekday = cat.t("digest.weekdays").split(",")[moment.weekday()]
    return cat.t("digest.day", month=moment.month, day=moment.day, weekday=weekday)


def period_text(cat: Catalog, start: datetime, end: datetime) -> str:
    return cat.t("digest.period", start=_day(cat, start), end=_day(cat, end - timedelta(days=1)))


def _as_of(cat: Catalog, moment: datetime) -> str:
    return cat.t(
        "digest.as_of", month=moment.month, day=moment.day, hour=moment.hour, minute=moment.minute
    )


def duration_text(cat: Catalog, seconds: float) -> str:
    minutes = max(0, round(seconds / 60))
    if minutes < 60:
        return cat.t("digest.minutes", minutes=minutes)
    if minutes < 24 * 60:
        return cat.t("digest.hours", hours=minutes // 60, minutes=minutes % 60)
    return cat.t("digest.days", days=minutes // 1440, hours=minutes % 1440 // 60)


def compose(f: DigestFigures, cat: Catalog, labels: Mapping[int, str]) -> DigestDoc:
    """The digest as short paragraphs, most important first; aggregates only."""
    period = period_text(cat, f.start, f.end)
    notes = [] if f.complete else [cat.t("digest.partial", as_of=_as_of(cat, f.as_of))]
    if f.total:
        sections = [
            _summary(f, cat),
            *_behaviours(f, cat, labels),
            _channels(f, cat),
            _ack(f, cat),
            *_state(f, cat),
        ]
    else:
        sections = [cat.t("digest.empty", previous=f.previous), *_state(f, cat)]
    return DigestDoc(
        header=cat.t("digest.header", period=period),
        fallback=cat.t("digest.fallback", period=period, total=f.total, previous=f.previous),
        sections=[s for s in sections if s],
        notes=[*notes, cat.t("digest.footer")],
    )


def _summary(f: DigestFigures, cat: Catalog) -> str:
    diff = f.total - f.previous
    change = (
        cat.t("digest.change_up", n=diff)
        if diff > 0
        else cat.t("digest.change_down", n=-diff)
        if diff < 0
        else cat.t("digest.change_same")
    )
    urgency = cat.t("digest.urgency", urgent=f.urgent, after=f.total - f.urgent)
    return cat.t("digest.summary", total=f.total, previous=f.previous, change=change) + (
        "\n" + urgency
    )


def _ranked(counts: Sequence[int], cat: Catalog, labels: Mapping[int, str]) -> list[str]:
    # Most frequent first, so the week's pattern shows in the first line.
    ranked = sorted((-n, number) for number, n in enumerate(counts, start=1) if n)
    return [
        cat.t(
            "digest.behaviour_line",
            number=circled(number),
            label=labels.get(number, ""),
            count=-neg,
        )
        for neg, number in ranked
    ]


def _behaviours(f: DigestFigures, cat: Catalog, labels: Mapping[int, str]) -> list[str]:
    chosen, suggested = _ranked(f.chosen, cat, labels), _ranked(f.suggested, cat, labels)
    if f.unclassified:
        (suggested or chosen).append(cat.t("digest.unclassified", count=f.unclassified))
    out = ["\n".join([cat.t("digest.behaviours_heading"), *chosen])] if chosen else []
    if suggested:
        out.append("\n".join([cat.t("digest.suggested_heading"), *suggested]))
    return out


def _channels(f: DigestFigures, cat: Catalog) -> str:
    lines = [
        cat.t("digest.channel_line", channel=_channel_name(cat, code), count=n)
        for code, n in f.by_channel.items()
        if n
    ]
    return "\n".join([cat.t("digest.channels_heading"), *lines])


def _channel_name(cat: Catalog, code: str) -> str:
    return cat.t(f"contact.{code}") if cat.has(f"contact.{code}") else code


def _ack(f: DigestFigures, cat: Catalog) -> str:
    if f.ack_median_seconds is None or f.ack_slowest_seconds is None:
        return cat.t("digest.ack_none")
    return cat.t(
        "digest.ack",
        median=duration_text(cat, f.ack_median_seconds),
        slowest=duration_text(cat, f.ack_slowest_seconds),
        count=f.ack_count,
    )


def _state(f: DigestFigures, cat: Catalog) -> list[str]:
    as_of = _as_of(cat, f.as_of)
    total = sum(f.open_by_age)
    if total:
        lines = [
            cat.t("digest.open", total=total, unacknowledged=f.open_unacknowledged, as_of=as_of)
        ]
        lines += [
            cat.t("digest.open_line", band=cat.t(f"digest.{band}"), count=n)
            for band, n in zip(BANDS, f.open_by_age, strict=True)
            if n
        ]
        opened = "\n".join(lines)
    else:
        opened = cat.t("digest.open_none", as_of=as_of)
    if not (f.total or f.escalations or f.help_checkins):
        return [opened]  # an empty week stays short
    followups = "\n".join(
        [
            cat.t("digest.escalations", count=f.escalations),
            cat.t("digest.help_checkins", count=f.help_checkins),
            cat.t("digest.repeat_customers", count=f.repeat_customers),
        ]
    )
    return [opened, followups]


def trend_chart(f: DigestFigures, cat: Catalog) -> TrendChart:
    weeks = [cat.t("digest.chart_week", month=p.monday.month, day=p.monday.day) for p in f.trend]
    return TrendChart(
        title=cat.t("digest.chart_title"),
        y_label=cat.t("digest.chart_ylabel"),
        week_labels=weeks,
        counts=[p.count for p in f.trend],
    )


def to_text(f: DigestFigures, cat: Catalog, labels: Mapping[int, str]) -> str:
    doc = compose(f, cat, labels)
    trend = " ".join(f"{p.monday:%m/%d}:{p.count}" for p in f.trend)
    parts = [doc.header, *doc.sections, f"{cat.t('digest.chart_title')}\n{trend}", *doc.notes[:-1]]
    return "\n\n".join(parts).replace("*", "")


def _plain(value: Any) -> Any:
    return value.isoformat() if isinstance(value, date | datetime) else value


def to_json(f: DigestFigures) -> str:
    data = dataclasses.asdict(f)
    data["trend"] = [{k: _plain(v) for k, v in p.items()} for p in data["trend"]]
    return json.dumps({k: _plain(v) for k, v in data.items()}, ensure_ascii=False, indent=2)


def _flat(f: DigestFigures) -> list[tuple[str, Any]]:
    rows: list[tuple[str, Any]] = []
    for key, value in json.loads(to_json(f)).items():
        if key in ("chosen", "suggested"):
            rows += [(f"{key}_{i}", n) for i, n in enumerate(value, start=1)]
        elif key == "open_by_age":
            rows += [(f"open_{band}", n) for band, n in zip(BANDS, value, strict=True)]
        elif key == "by_channel":
            rows += [(f"channel_{c}", n) for c, n in value.items()]
        elif key == "trend":
            rows += [(f"trend_{p['week']}", p["count"]) for p in value]
        else:
            rows.append((key, "" if value is None else value))
    return rows


def to_csv(f: DigestFigures) -> str:
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(["metric", "value"])
    writer.writerows(_flat(f))
    return out.getvalue()


def _numbers(text: str) -> str:
    return "".join(circled(int(n)) for n in text.split(",") if n.strip().isdigit())


def _case_row(row: Any, cat: Catalog, zone: ZoneInfo) -> list[str]:
    def when(moment: datetime | None) -> str:
        return f"{as_utc(moment).astimezone(zone):%Y-%m-%d %H:%M}" if moment else ""

    took = (as_utc(row.acknowledged_at) - as_utc(row.created_at)) if row.acknowledged_at else None
    return [
        row.case_number,
        when(row.created_at),
        when(row.occurred_at),
        _channel_name(cat, row.contact_channel),
        _numbers(row.behaviours),
        _numbers(row.suggested_behaviours),
        cat.t("urgency.urgent" if row.urgent else "urgency.after"),
        cat.t(f"support.{row.support}") if cat.has(f"support.{row.support}") else row.support,
        cat.t(f"state.{row.status}") if cat.has(f"state.{row.status}") else row.status,
        when(row.acknowledged_at),
        "" if took is None else str(round(took.total_seconds() / 60)),
        when(row.escalated_at),
        when(row.resolved_at),
    ]


def cases_csv(rows: Sequence[Any], cat: Catalog, zone: ZoneInfo) -> bytes:
    """Structured columns only (no description, customer or names); BOM so Excel reads UTF-8."""
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(cat.t("export.columns").split(","))
    writer.writerows(_case_row(row, cat, zone) for row in rows)
    return out.getvalue().encode("utf-8-sig")


async def digest_report(settings: Settings, *, week: str | None, fmt: str) -> str:
    """The terminal digest: needs only DATABASE_URL (no Slack); the week defaults to this one."""
    now, zone = utcnow(), settings.zone
    span = week_span(week, zone) if week else week_containing(now, zone)
    policy = load_policy(settings.policy_path)
    async with engine_for(settings.database_url) as engine, make_sessions(engine)() as session:
        figures = await compute_figures(
            session, span, zone=zone, now=now, behaviours=behaviour_count(policy)
        )
    if fmt == "json":
        return to_json(figures)
    if fmt == "csv":
        return to_csv(figures).rstrip("\n")  # print() adds the last newline
    labels = behaviour_labels(policy)
    return to_text(figures, catalog(settings.language), labels)
