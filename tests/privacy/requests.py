"""Whole signed requests built from junk: slash commands, interactions and events."""

from __future__ import annotations

import dataclasses
import itertools
import json
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

from bot.demo.harness import SUPERVISORS, report_state
from tests.privacy.junk import (
    ACTIONS,
    ID_VALUE,
    JUNK,
    ODD,
    SHORT,
    TEXT,
    USER,
    drop_some,
    form,
    interactive,
    maybe,
)

FORM = "application/x-www-form-urlencoded"
JSON = "application/json"
Urls = Callable[[], str]  # a fresh response_url from the stand-in
# Unique, so the app's dedupe never takes an example for a retry of an earlier one.
TRIGGERS = (f"fuzz.{n}" for n in itertools.count())


@dataclasses.dataclass(frozen=True)
class Request:
    body: bytes
    content_type: str
    expect_error_on: str | None = None  # the one modal field the app must point at

    def __repr__(self) -> str:  # hypothesis prints failing examples; 100 KB is too much
        return f"Request({self.content_type}, {self.body[:300]!r}…, {self.expect_error_on})"


def slash_commands(urls: Urls) -> st.SearchStrategy[Request]:
    words = st.sampled_from(["", "status", "状況", "export", "digest", "help", "報告", "?"])

    @st.composite
    def build(draw: Any) -> Request:
        fields = {
            "command": draw(maybe(st.just("/kasuhara"))),
            "text": draw(maybe(words | TEXT)),
            "user_id": draw(maybe(USER)),
            "channel_id": draw(maybe(st.just("CPUBLIC01"))),
            "team_id": draw(maybe(st.just("T0KASUHARA"))),
            "trigger_id": draw(maybe(SHORT)),
            "response_url": urls(),
        }
        return Request(form(drop_some(draw, fields)), FORM)

    return build()


def _odd_text(draw: Any, low: int, high: int) -> str:
    piece = draw(st.lists(ODD, min_size=1, max_size=5).map("".join))
    n = draw(st.integers(low, high))
    return (piece * n)[:n]


@st.composite
def overlong_report(draw: Any) -> Request:
    """A report that is fine except for one field over its limit."""
    if draw(st.booleans()):
        state = report_state(_odd_text(draw, 3001, 20_000))
        field = "report.description"
    else:
        state = report_state("受付で大声を出された", customer=_odd_text(draw, 501, 5000))
        field = "report.customer"
    return _view_submission(draw, "report.submit", state, expect=field)


def _field(block: str, action: str, value: dict[str, Any]) -> Callable[[dict[str, Any]], None]:
    return lambda state: state.update({block: {action: value}})


# Each makes a report invalid whatever else the state holds.
BREAKERS: dict[str, Callable[[dict[str, Any]], None]] = {
    "no description": lambda state: state.pop("report.description", None),
    "description not text": _field("report.description", "description", {"value": [1]}),
    "description blank": _field("report.description", "description", {"value": " \n\u3000"}),
    "contact unknown": _field("report.contact", "contact", {"selected_option": {"value": "fax"}}),
    "behaviour out of range": _field(
        "report.behaviours",
        "behaviours",
        {"selected_options": [{"value": "²"}, {"value": "99"}]},
    ),
    "occurred far future": _field("report.occurred", "occurred", {"selected_date_time": 10**18}),
}


@st.composite
def broken_report(draw: Any) -> Request:
    """A report with junk here and there, and always one thing that makes it invalid."""
    state: dict[str, Any] = report_state(draw(TEXT.filter(lambda t: bool(t.strip()))))
    for block in draw(st.sets(st.sampled_from(sorted(state)), max_size=3)):
        state[block] = draw(JUNK) if draw(st.booleans()) else {"x": draw(JUNK)}
    BREAKERS[draw(st.sampled_from(sorted(BREAKERS)))](state)
    state_value = draw(st.sampled_from(["values", "junk"]))
    values: Any = {"values": state} if state_value == "values" else draw(JUNK)
    return _view_submission(draw, "report.submit", None, state_override=values)


def _view_submission(
    draw: Any,
    callback_id: Any,
    values: dict[str, Any] | None,
    *,
    expect: str | None = None,
    state_override: Any = None,
    metadata: Any = "{}",
) -> Request:
    view = {
        "id": "V0JUNK",
        "type": "modal",
        "callback_id": callback_id,
        "private_metadata": metadata,
        "state": {"values": values} if state_override is None else state_override,
    }
    payload: dict[str, Any] = {
        "type": "view_submission",
        "team": {"id": "T0KASUHARA"},
        "user": {"id": draw(USER)} if expect is None else {"id": "USTAFF01"},
        "trigger_id": draw(SHORT) if expect is None else next(TRIGGERS),
        "view": view,
    }
    if expect is None:
        payload = drop_some(draw, payload) | {"type": "view_submission"}
    return Request(interactive(payload), FORM, expect)


@st.composite
def resolve_submission(draw: Any) -> Request:
    meta = draw(st.one_of(ID_VALUE.map(lambda v: json.dumps({"case_id": v})), JUNK))
    outcome = {"case.outcome": {"outcome": {"value": draw(maybe(TEXT))}}}
    values = outcome if draw(st.booleans()) else draw(JUNK)
    return _view_submission(draw, "case.resolve.submit", values, metadata=meta)


def block_actions(urls: Urls) -> st.SearchStrategy[Request]:
    @st.composite
    def build(draw: Any) -> Request:
        action = {"action_id": draw(ACTIONS), "value": draw(ID_VALUE), "block_id": draw(SHORT)}
        payload = {
            "type": "block_actions",
            "user": draw(maybe(st.fixed_dictionaries({"id": USER}))),
            "team": {"id": "T0KASUHARA"},
            "actions": draw(maybe(st.just([action]))),
            "container": draw(JUNK),
            "channel": draw(maybe(st.just({"id": SUPERVISORS}))),
            "message": draw(maybe(st.just({"ts": "1.000001"}))),
            "trigger_id": draw(SHORT),
            "response_url": urls(),
        }
        return Request(interactive(drop_some(draw, payload)), FORM)

    return build()


@st.composite
def other_interactions(draw: Any) -> Request:
    kind = draw(st.sampled_from(["shortcut", "message_action", "view_closed", "junk"]))
    payload = {
        "type": kind if kind != "junk" else draw(JUNK),
        "callback_id": draw(maybe(st.sampled_from(["report.shortcut", "report.message_shortcut"]))),
        "user": {"id": draw(USER)},
        "trigger_id": draw(SHORT),
        "message": draw(maybe(st.fixed_dictionaries({"text": TEXT, "ts": SHORT}))),
        "channel": draw(maybe(st.just({"id": "CPUBLIC01"}))),
        "view": draw(JUNK),
    }
    return Request(interactive(drop_some(draw, payload)), FORM)


@st.composite
def events(draw: Any) -> Request:
    event = {
        "type": draw(maybe(st.sampled_from(["message", "app_mention", "app_home_opened"]))),
        "channel_type": draw(maybe(st.just("im"))),
        "channel": draw(maybe(st.sampled_from(["D0JUNK", SUPERVISORS]))),
        "user": draw(USER),
        "text": draw(TEXT),
        "ts": draw(maybe(st.just("1.000001"))),
        "thread_ts": draw(maybe(st.just("1.000000"))),
    }
    envelope = {
        "type": draw(maybe(st.sampled_from(["event_callback", "url_verification"]))),
        "event_id": draw(SHORT),
        "team_id": "T0KASUHARA",
        "challenge": draw(JUNK),
        "event": draw(maybe(st.just(drop_some(draw, event)))),
    }
    return Request(json.dumps(drop_some(draw, envelope), allow_nan=True).encode(), JSON)


@st.composite
def raw_bodies(draw: Any) -> Request:
    body = draw(
        st.one_of(
            st.binary(max_size=200),
            JUNK.map(lambda j: json.dumps(j, allow_nan=True).encode()),
            st.sampled_from([b"payload=", b"payload=null", b"payload=%7B", b"payload=[]", b"\xff"]),
            TEXT.map(lambda t: form({"payload": t})),
        )
    )
    return Request(body, draw(st.sampled_from([FORM, JSON, "text/plain"])))
