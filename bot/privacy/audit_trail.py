"""`kasuhara-bot audit --case KH-2026-0001`: a case's history for an operator's terminal."""

from __future__ import annotations

import json
from collections.abc import Sequence
from zoneinfo import ZoneInfo

from bot.clock import as_utc
from bot.config import Settings
from storage.audit import audit_for_case_number
from storage.db import engine_for, make_sessions
from storage.models import AuditEvent
from storage.reports import get_report_by_number

TIME_FORMAT = "%Y-%m-%d %H:%M:%S %Z"


def detail_text(raw: str) -> str:
    """`key=value` pairs; audit details hold ids, counts and names, never report text."""
    try:
        detail = json.loads(raw or "{}")
    except ValueError:
        return raw
    if not isinstance(detail, dict):
        return str(detail)
    return " ".join(f"{k}={json.dumps(v, ensure_ascii=False)}" for k, v in detail.items())


def _local(event: AuditEvent, zone: ZoneInfo) -> str:
    return as_utc(event.at).astimezone(zone).strftime(TIME_FORMAT)


def format_events(events: Sequence[AuditEvent], zone: ZoneInfo) -> list[str]:
    rows = [(_local(e, zone), e.actor_id, e.action, detail_text(e.detail)) for e in events]
    actor_width = max((len(r[1]) for r in rows), default=0)
    action_width = max((len(r[2]) for r in rows), default=0)
    return [
        f"{at}  {actor:<{actor_width}}  {action:<{action_width}}  {detail}".rstrip()
        for at, actor, action, detail in rows
    ]


async def case_history(settings: Settings, case_number: str) -> str | None:
    """The printable history, or None when no case has that number."""
    number = case_number.strip().upper()
    async with engine_for(settings.database_url) as engine, make_sessions(engine)() as session:
        report = await get_report_by_number(session, case_number=number)
        if report is None:
            return None
        events = await audit_for_case_number(session, case_number=number)
    heading = f"{report.case_number}  status={report.status}" + (
        "  (text purged)" if report.purged_at else ""
    )
    return "\n".join([heading, *format_events(events, settings.zone)])
