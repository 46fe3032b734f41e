"""What a case record holds, gathered from the database and (when reachable) Slack.

A record is for the police or a lawyer: everything about this one case, and of the other
reports about the same customer only their numbers, dates and states.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from slack_sdk.errors import SlackApiError

from bot.cases.domain import CaseView
from bot.cases.linking import Linker
from bot.cases.view import to_view
from bot.delivery.slack_text import readable
from bot.services import Services
from storage.audit import audit_for_case
from storage.models import AuditEvent
from storage.reports import get_report, get_report_by_number

log = logging.getLogger("kasuhara.record")
SLACK_ERRORS = (SlackApiError, OSError, TimeoutError)


@dataclass(frozen=True)
class ThreadLine:
    user: str  # a user id, or "" for the app itself
    at: datetime
    text: str  # plain text, as a person reads it


@dataclass
class CaseRecord:
    """Everything the PDF prints; `names` maps user ids to the names Slack knows."""

    organisation: str
    case: CaseView
    outcome: str | None
    events: list[AuditEvent]
    thread: list[ThreadLine] | None  # None: Slack could not be asked
    produced_at: datetime
    produced_by: str
    names: dict[str, str] = field(default_factory=dict)


def linker_for(svc: Services) -> Linker:
    """The links a record lists are the ones the alert shows (same keys, same threshold)."""
    return Linker(svc.cipher, svc.policy, svc.settings.link_threshold)


@dataclass(frozen=True)
class LoadedCase:
    case: CaseView  # with its links
    outcome: str | None
    events: list[AuditEvent]
    team_id: str


async def load_case_for_record(
    svc: Services, *, case_id: int | None = None, case_number: str | None = None
) -> LoadedCase | None:
    """The case (by id or number) as a record needs it, or None when there is none."""
    async with svc.sessions.begin() as session:
        if case_id is not None:
            report = await get_report(session, case_id=case_id)
        else:
            report = await get_report_by_number(session, case_number=case_number or "")
        if report is None or report.id is None:
            return None
        case = await linker_for(svc).with_links(session, to_view(svc.cipher, report))
        events = list(await audit_for_case(session, case_id=report.id))
        return LoadedCase(case, svc.cipher.decrypt(report.outcome_enc), events, report.team_id)


async def _thread(svc: Services, case: CaseView) -> list[ThreadLine] | None:
    if not (case.alert_channel and case.alert_ts):
        return []
    try:
        messages = await svc.gateway.thread(case.alert_channel, case.alert_ts)
    except SLACK_ERRORS as exc:
        log.warning("record %s: thread not read: %s", case.case_number, _error(exc))
        return None
    return [
        ThreadLine(
            user=str(m.get("user") or "") if not m.get("bot_id") else "",
            at=_ts_time(str(m.get("ts", "0"))),
            text=str(m.get("text") or ""),
        )
        for m in messages
        if m.get("ts") != case.alert_ts
    ]


def _ts_time(ts: str) -> datetime:
    return datetime.fromtimestamp(float(ts), UTC)


def _error(exc: Exception) -> str:
    if isinstance(exc, SlackApiError):
        return str(exc.response.get("error", "error"))
    return type(exc).__name__


def people(record: CaseRecord) -> set[str]:
    """Every user id the record names: reporter, actors, thread authors and mentions."""
    case = record.case
    found = {case.reporter_id, record.produced_by}
    found |= {e.actor_id for e in record.events}
    for who in (case.acknowledged_by, case.owner_id, case.escalated_by, case.resolved_by):
        found.add(who or "")
    for line in record.thread or []:
        found.add(line.user)
    return {u for u in found if u.startswith(("U", "W"))}


async def _names(svc: Services, ids: set[str]) -> dict[str, str]:
    names: dict[str, str] = {}
    for user in sorted(ids):
        try:
            name = await svc.gateway.user_name(user)
        except SLACK_ERRORS as exc:
            log.warning("record: user %s not named: %s", user, _error(exc))
            if isinstance(exc, OSError | TimeoutError):
                break  # Slack is unreachable: ids will do
            continue
        if name:
            names[user] = name
    return names


async def gather_record(
    svc: Services,
    loaded: LoadedCase,
    *,
    actor: str,
    use_slack: bool,
) -> CaseRecord:
    """The record of a loaded case; with `use_slack`, the thread and people's names are
    asked of Slack (a failure leaves ids, and says the thread could not be read)."""
    case, team_id = loaded.case, loaded.team_id
    thread = await _thread(svc, case) if use_slack else None
    record = CaseRecord(
        organisation=svc.settings.organisation or team_id,
        case=case,
        outcome=loaded.outcome,
        events=loaded.events,
        thread=thread,
        produced_at=svc.clock.now(),
        produced_by=actor,
    )
    if use_slack:
        record.names = await _names(svc, people(record))
        if not svc.settings.organisation:
            record.organisation = await _workspace_name(svc) or team_id
    if record.thread:
        record.thread = [
            ThreadLine(t.user, t.at, readable(t.text, record.names)) for t in record.thread
        ]
    return record


async def _workspace_name(svc: Services) -> str | None:
    try:
        identity: dict[str, Any] = await svc.gateway.identity()
    except SLACK_ERRORS as exc:
        log.warning("record: workspace not named: %s", _error(exc))
        return None
    team = identity.get("team")
    return str(team) if team else None
