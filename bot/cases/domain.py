"""Vocabulary of a report: the choices the modal offers and the limits that apply."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.privacy.customer_key import KEY_INPUT_MAX, normalise

DESCRIPTION_MAX = 3000
CUSTOMER_MAX = 500
OUTCOME_MAX = 2000


class ContactChannel(StrEnum):
    COUNTER = "counter"
    PHONE = "phone"
    EMAIL = "email"
    VISIT = "visit"
    WEB = "web"
    OTHER = "other"


class Support(StrEnum):
    BOSS = "boss"
    COUNSELLING = "counselling"
    REASSIGN = "reassign"
    NONE = "none"


@dataclass(frozen=True)
class ReportInput:
    """What a reporter submitted, already parsed from Slack's payload."""

    reporter_id: str
    team_id: str
    occurred_at: datetime
    contact_channel: str
    behaviours: tuple[int, ...]
    description: str
    customer: str | None
    urgent: bool
    support: str
    source_permalink: str | None = None
    customer_key: str | None = None  # as typed; see bot/privacy/customer_key.py
    occurred_given: bool = True  # False: the picker was empty and `occurred_at` is "now"


@dataclass(frozen=True)
class LinkedCase:
    """An earlier report about the same customer: its number, dates and state, nothing more."""

    case_number: str
    created_at: datetime
    status: str
    escalated: bool


@dataclass(frozen=True)
class CaseLinks:
    """For supervisors only: the earlier reports about this case's customer."""

    total: int  # earlier reports, all of them
    earlier: tuple[LinkedCase, ...]  # the newest of them, newest first
    suggest_escalation: bool  # this report makes the configured count
    policy_text: str | None  # the passage on working with the police and lawyers, verbatim
    policy_heading: str | None  # its section, e.g. "3. カスタマーハラスメントへの対応姿勢"


@dataclass(frozen=True)
class CaseView:
    """A decrypted snapshot of a case, for rendering messages."""

    id: int
    case_number: str
    reporter_id: str
    occurred_at: datetime
    created_at: datetime
    contact_channel: str
    behaviours: tuple[int, ...]
    suggested_behaviours: tuple[int, ...]
    urgent: bool
    support: str
    description: str | None
    customer: str | None
    source_permalink: str | None
    status: str
    acknowledged_by: str | None
    acknowledged_at: datetime | None
    owner_id: str | None
    owned_at: datetime | None
    escalated_by: str | None
    escalated_at: datetime | None
    resolved_by: str | None
    resolved_at: datetime | None
    alert_channel: str | None
    alert_ts: str | None
    purged: bool
    customer_key: str | None = None
    links: CaseLinks | None = None  # filled only where supervisors read the case


def validate_report(data: ReportInput, now: datetime, behaviours: frozenset[int]) -> dict[str, str]:
    """Field name → catalogue key of the error; empty when the report may be saved.
    `behaviours` are the numbers the organisation's policy defines."""
    errors: dict[str, str] = {}
    if data.occurred_at > now:
        errors["occurred"] = "errors.future_time"
    if not data.description.strip():
        errors["description"] = "errors.description_required"
    elif len(data.description) > DESCRIPTION_MAX:
        errors["description"] = "errors.description_too_long"
    if data.customer and len(data.customer) > CUSTOMER_MAX:
        errors["customer"] = "errors.customer_too_long"
    if data.customer_key and len(data.customer_key) > KEY_INPUT_MAX:
        errors["customer_key"] = "errors.customer_key_too_long"
    elif data.customer_key and normalise(data.customer_key) is None:
        errors["customer_key"] = "errors.customer_key_unusable"
    if data.contact_channel not in ContactChannel.__members__.values():
        errors["contact"] = "errors.invalid_choice"
    if data.support not in Support.__members__.values():
        errors["support"] = "errors.invalid_choice"
    if any(n not in behaviours for n in data.behaviours):
        errors["behaviours"] = "errors.invalid_choice"
    return errors


def parse_numbers(text: str) -> tuple[int, ...]:
    return tuple(int(part) for part in text.split(",") if part)


def join_numbers(numbers: tuple[int, ...] | list[int]) -> str:
    return ",".join(str(n) for n in sorted(set(numbers)))
