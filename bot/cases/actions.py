"""What each supervisor action does to a case, declared once per action.

An action is known only by its declaration here: `perform` looks the name up and refuses a
name nobody declared (so a new button cannot silently fall through to another action's
transition). Each declaration names its own transition and its side effects; its words live in
the catalogue under `alert.btn_<name>`, `thread.<name>` and, when it tells the reporter,
`dm.status_<name>` (tests/test_catalogue.py checks every declared action has them).
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from storage.models import CaseStatus

SNOOZE_FOR = timedelta(days=1)


class UnknownAction(ValueError):
    """An action name no declaration matches: refused and audited, never guessed at."""

    def __init__(self, name: str) -> None:
        super().__init__(f"no case action is declared as {name!r}")
        self.name = name


@dataclass(frozen=True)
class Click:
    """Who acted, when (aware UTC), and the encrypted outcome text a resolve may carry."""

    actor: str
    now: datetime
    outcome_enc: str | None = None


@dataclass(frozen=True)
class Change:
    """Column values written to the report only while every column in `when` still has its
    value there (None: still empty), so of two racing clicks the first wins. An empty
    `values` records the action without changing the row."""

    values: Mapping[str, object]
    when: Mapping[str, object]


@dataclass(frozen=True)
class CaseAction:
    """One supervisor action. Flags say which shared consequences apply after a change:

    acknowledges       -- the actor has evidently seen the case (sets acknowledged_* if empty)
    answers_reminders  -- cancels the "nobody has acknowledged" reminders
    tells_reporter     -- DMs the reporter `dm.status_<name>` (the receipt promises it)
    plans_stale_check  -- schedules the "no news for a while" reminder for the new owner
    ends_case          -- cancels every remaining follow-up
    """

    name: str
    change: Callable[[Click], Change]
    acknowledges: bool = True
    answers_reminders: bool = True
    tells_reporter: bool = False
    plans_stale_check: bool = False
    ends_case: bool = False

    def __str__(self) -> str:
        return self.name


ACTIONS: dict[str, CaseAction] = {}


def declare(action: CaseAction) -> CaseAction:
    """Make an action known; a second declaration of the same name is a programming error."""
    if action.name in ACTIONS:
        raise ValueError(f"case action {action.name!r} is declared twice")
    ACTIONS[action.name] = action
    return action


def action_named(name: str) -> CaseAction:
    """The declared action called `name`; raises UnknownAction otherwise."""
    try:
        return ACTIONS[name]
    except KeyError:
        raise UnknownAction(name) from None


ACK = declare(
    CaseAction(
        "ack",
        lambda c: Change(
            {
                "acknowledged_at": c.now,
                "acknowledged_by": c.actor,
                "status": CaseStatus.ACKNOWLEDGED,
            },
            {"acknowledged_at": None},
        ),
        acknowledges=False,  # its own change is the acknowledgement
    )
)
TAKE = declare(
    CaseAction(
        "take",
        lambda c: Change(
            {"owner_id": c.actor, "owned_at": c.now, "status": CaseStatus.IN_PROGRESS},
            {"owner_id": None, "resolved_at": None},
        ),
        tells_reporter=True,
        plans_stale_check=True,
    )
)
ESCALATE = declare(
    CaseAction(
        "escalate",
        lambda c: Change({"escalated_at": c.now, "escalated_by": c.actor}, {"escalated_at": None}),
    )
)
RESOLVE = declare(
    CaseAction(
        "resolve",
        lambda c: Change(
            {
                "resolved_at": c.now,
                "resolved_by": c.actor,
                "status": CaseStatus.RESOLVED,
                "outcome_enc": c.outcome_enc,
            },
            {"resolved_at": None},
        ),
        tells_reporter=True,
        ends_case=True,
    )
)
# A snooze postpones reminders; it neither answers them nor says anyone has seen the case.
SNOOZE = declare(
    CaseAction(
        "snooze",
        lambda c: Change({"snoozed_until": c.now + SNOOZE_FOR}, {"resolved_at": None}),
        acknowledges=False,
        answers_reminders=False,
    )
)
