"""The case record as a PDF: for the police or a lawyer, every part of one case in order."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from bot.clock import as_utc
from bot.messages import Catalog
from bot.policy.document import PolicyDocument
from bot.privacy.audit_trail import detail_text
from bot.record.content import CaseRecord
from bot.record.layout import RecordPage


@dataclass(frozen=True)
class RenderedRecord:
    content: bytes
    pages: int


class _Words:
    """The catalogue, times in the organisation's zone, and people by name and id."""

    def __init__(self, cat: Catalog, zone: ZoneInfo, names: dict[str, str]) -> None:
        self.cat, self.zone, self.names = cat, zone, names

    def time(self, moment: datetime | None) -> str:
        if moment is None:
            return self.cat.t("record.none")
        local = as_utc(moment).astimezone(self.zone)
        return self.cat.t(
            "record.datetime",
            year=local.year,
            month=local.month,
            day=local.day,
            hour=local.hour,
            minute=local.minute,
        )

    def who(self, user: str | None) -> str:
        if not user:
            return self.cat.t("record.app")
        if user == "system":
            return self.cat.t("record.system")
        name = self.names.get(user)
        return f"{name} ({user})" if name else user

    def action(self, code: str) -> str:
        key = "record.actions." + code.replace(".", "_")
        return self.cat.t(key) if self.cat.has(key) else code


def _summary(pdf: RecordPage, r: CaseRecord, w: _Words) -> None:
    case, cat = r.case, w.cat
    pdf.section_heading(w.cat.t("record.summary_heading"))
    urgency = cat.t("urgency.urgent" if case.urgent else "urgency.after")
    rows = [
        ("organisation", r.organisation),
        ("case_number", case.case_number),
        ("status", cat.t(f"state.{case.status}")),
        ("occurred", w.time(case.occurred_at)),
        ("received", w.time(case.created_at)),
        ("reporter", w.who(case.reporter_id)),
        ("contact", cat.t(f"contact.{case.contact_channel}")),
        ("urgency", urgency),
        ("support", cat.t(f"support.{case.support}")),
    ]
    steps = [
        ("acknowledged", case.acknowledged_by, case.acknowledged_at),
        ("taken", case.owner_id, case.owned_at),
        ("escalated", case.escalated_by, case.escalated_at),
        ("resolved", case.resolved_by, case.resolved_at),
    ]
    for key, who, when in steps:
        value = (
            w.cat.t("record.by_at", who=w.who(who), at=w.time(when))
            if when
            else w.cat.t("record.none")
        )
        rows.append((key, value))
    for key, value in rows:
        pdf.field(w.cat.t(f"record.field.{key}"), value)


def _behaviours(pdf: RecordPage, r: CaseRecord, w: _Words, policy: PolicyDocument) -> None:
    pdf.section_heading(w.cat.t("record.behaviours_heading"))
    numbers = r.case.behaviours or r.case.suggested_behaviours
    passages = [p for p in policy.behaviours() if p.behaviour in numbers]
    if not passages:
        pdf.paragraph(w.cat.t("record.behaviours_none"))
        return
    if not r.case.behaviours:
        pdf.paragraph(w.cat.t("record.behaviours_estimated"), size=9)
    how = w.cat.t("record.chosen" if r.case.behaviours else "record.estimated")
    for passage in passages:
        pdf.field(how, passage.text)
    section = passages[0]
    pdf.paragraph(
        w.cat.t(
            "record.behaviours_source",
            title=policy.title,
            section=section.section_title,
        ),
        size=8,
    )


def _texts(pdf: RecordPage, r: CaseRecord, w: _Words) -> None:
    case = r.case
    pdf.section_heading(w.cat.t("record.description_heading"))
    purged = w.cat.t("record.purged")
    pdf.paragraph(case.description if case.description is not None else purged)
    pdf.section_heading(w.cat.t("record.customer_heading"))
    pdf.field(w.cat.t("record.field.customer"), case.customer or w.cat.t("record.none"))
    pdf.field(w.cat.t("record.field.customer_key"), case.customer_key or w.cat.t("record.none"))
    if case.source_permalink:
        pdf.field(w.cat.t("record.field.source"), case.source_permalink)


def _history(pdf: RecordPage, r: CaseRecord, w: _Words) -> None:
    pdf.section_heading(w.cat.t("record.actions_heading"))
    if not r.events:
        pdf.paragraph(w.cat.t("record.none"), size=9)
    for event in r.events:
        detail = detail_text(event.detail)
        line = w.cat.t(
            "record.action_line",
            at=w.time(event.at),
            who=w.who(event.actor_id),
            action=w.action(event.action),
        )
        pdf.paragraph(f"{line}  {detail}".rstrip(), size=9)
    pdf.section_heading(w.cat.t("record.thread_heading"))
    if r.thread is None:
        pdf.paragraph(w.cat.t("record.thread_unavailable"), size=9)
    elif not r.thread:
        pdf.paragraph(w.cat.t("record.none"), size=9)
    for said in r.thread or []:
        pdf.paragraph(
            w.cat.t("record.thread_line", at=w.time(said.at), who=w.who(said.user)), size=9
        )
        pdf.paragraph(said.text, size=9, indent=6)


def _ending(pdf: RecordPage, r: CaseRecord, w: _Words) -> None:
    pdf.section_heading(w.cat.t("record.outcome_heading"))
    pdf.paragraph(r.outcome or w.cat.t("record.none"))
    pdf.section_heading(w.cat.t("record.links_heading"))
    links = r.case.links
    if links is None or not links.total:
        pdf.paragraph(w.cat.t("record.links_none"))
    else:
        pdf.paragraph(w.cat.t("record.links_count", count=links.total))
        for linked in links.earlier:
            state = w.cat.t(f"state.{linked.status}")
            pdf.paragraph(
                w.cat.t(
                    "record.links_line",
                    case_number=linked.case_number,
                    received=w.time(linked.created_at),
                    status=state,
                ),
                indent=4,
            )
    pdf.ln(4)
    pdf.paragraph(
        w.cat.t(
            "record.produced", at=w.time(r.produced_at), who=w.who(r.produced_by), zone=w.zone.key
        ),
        size=8,
    )


def render_record(
    record: CaseRecord, cat: Catalog, policy: PolicyDocument, zone: ZoneInfo
) -> RenderedRecord:
    """A4 PDF bytes of `record`; CPU-bound (≈0.1–0.5 s): run it off the event loop."""
    w = _Words(cat, zone, record.names)
    number = record.case.case_number
    pdf = RecordPage(
        heading=w.cat.t(
            "record.page_heading", organisation=record.organisation, case_number=number
        ),
        marking=w.cat.t("record.marking"),
        page_label=w.cat.t("record.page_number"),
    )
    pdf.set_title(w.cat.t("record.title", case_number=number))
    pdf.set_author(record.organisation)
    pdf.set_creator("kasuhara-bot")
    pdf.set_creation_date(as_utc(record.produced_at))
    pdf.add_page()
    pdf.title_line(w.cat.t("record.title", case_number=number))
    _summary(pdf, record, w)
    _behaviours(pdf, record, w, policy)
    _texts(pdf, record, w)
    _history(pdf, record, w)
    _ending(pdf, record, w)
    return RenderedRecord(bytes(pdf.output()), pdf.pages_count)
