"""Every Slack id the app emits and listens for, in one place."""

from __future__ import annotations

from enum import StrEnum

COMMAND = "/kasuhara"


class Callback(StrEnum):
    REPORT = "report.submit"
    RESOLVE = "case.resolve.submit"
    SHORTCUT_REPORT = "report.shortcut"
    SHORTCUT_MESSAGE = "report.message_shortcut"
    HOME_ASK = "home.ask.submit"


class Block(StrEnum):
    OCCURRED = "report.occurred"
    CONTACT = "report.contact"
    BEHAVIOURS = "report.behaviours"
    DESCRIPTION = "report.description"
    CUSTOMER = "report.customer"
    CUSTOMER_KEY = "report.customer_key"
    URGENCY = "report.urgency"
    SUPPORT = "report.support"
    OUTCOME = "case.outcome"
    ALERT_ACTIONS = "case.actions"
    RECORD_ACTIONS = "case.record_actions"
    CHECKIN_ACTIONS = "checkin.actions"
    QUESTION = "home.question"


class Action(StrEnum):
    OCCURRED = "occurred"
    CONTACT = "contact"
    BEHAVIOURS = "behaviours"
    DESCRIPTION = "description"
    CUSTOMER = "customer"
    CUSTOMER_KEY = "customer_key"
    URGENCY = "urgency"
    SUPPORT = "support"
    OUTCOME = "outcome"
    RECORD = "case.record"  # the case record (PDF); not a case action: it changes nothing
    CHECKIN_OK = "checkin.ok"
    CHECKIN_HELP = "checkin.help"
    HOME_REPORT = "home.report"
    HOME_ASK = "home.ask"
    HOME_MORE = "home.more"
    HOME_PREVIOUS = "home.previous"
    HOME_FIRST = "home.first"
    HOME_DIGEST = "home.digest"
    HOME_EXPORT = "home.export"
    QUESTION = "question"


def case_action_id(action: str) -> str:
    """A case action's button action_id: "case.<name>" (bot/cases/actions.py names them)."""
    return f"case.{action}"


# Field names used by the domain's validation, mapped to the modal's blocks.
FIELD_BLOCKS = {
    "occurred": Block.OCCURRED,
    "contact": Block.CONTACT,
    "behaviours": Block.BEHAVIOURS,
    "description": Block.DESCRIPTION,
    "customer": Block.CUSTOMER,
    "customer_key": Block.CUSTOMER_KEY,
    "urgency": Block.URGENCY,
    "support": Block.SUPPORT,
}

ROW_ID_MAX = 2**31 - 1  # an INTEGER primary key; larger numbers make PostgreSQL refuse the query


def row_id(value: object) -> int | None:
    """A database id carried in a button value or metadata, or None when it cannot be one.
    str.isdigit() alone accepts "²" and other digits int() refuses."""
    text = str(value) if isinstance(value, str | int) and not isinstance(value, bool) else ""
    if not (text.isascii() and text.isdigit() and len(text) <= 10):
        return None
    number = int(text)
    return number if 0 < number <= ROW_ID_MAX else None
