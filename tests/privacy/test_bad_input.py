"""Correctly signed but malformed, oversized, mistyped or oddly encoded requests: never a
5xx, never a traceback to the client, never a stored report, and overlong fields refused on
the field itself. One harness serves all of a test's examples (it takes seconds to start)."""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable, Callable, Iterator
from contextlib import AsyncExitStack, contextmanager
from typing import Any, TypeVar

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from bot.demo.harness import OUTSIDER, STAFF, Harness, report_state, running_harness
from slack_standin import payloads
from slack_standin.api_views import public_view
from tests.app.helpers import alerts, open_modal, reports
from tests.privacy.junk import interactive
from tests.privacy.requests import (
    FORM,
    Request,
    block_actions,
    broken_report,
    events,
    other_interactions,
    overlong_report,
    raw_bodies,
    resolve_submission,
    slash_commands,
)

T = TypeVar("T")
Run = Callable[[Awaitable[T]], T]
BOUNDED = settings(
    max_examples=60,
    deadline=None,
    derandomize=True,  # the same examples on every run: a failure here is never a fluke
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)


@contextmanager
def shared_harness(database_url: str) -> Iterator[tuple[Harness, Run[Any]]]:
    """A harness on an event loop of its own, so hypothesis can call in example by example."""
    loop = asyncio.new_event_loop()
    stack = AsyncExitStack()
    try:
        h = loop.run_until_complete(stack.enter_async_context(running_harness(database_url)))
        yield h, loop.run_until_complete
    finally:
        loop.run_until_complete(stack.aclose())
        loop.close()


async def _send(h: Harness, request: Request) -> None:
    resp = await h.driver.send_raw(request.body, request.content_type)
    await h.settle()
    assert 0 < resp.status < 500, f"HTTP {resp.status}: {resp.body[:200]}"
    for sign in ("Traceback", 'File "', "Error:"):
        assert sign not in resp.body
    if request.expect_error_on:
        assert resp.json is not None and resp.json.get("response_action") == "errors"
        assert list(resp.json["errors"]) == [request.expect_error_on]
    assert await reports(h) == []


def _fuzz(database_url: str, strategy: Callable[[Harness], st.SearchStrategy[Request]]) -> None:
    with shared_harness(database_url) as (h, run):

        @BOUNDED
        @given(request=strategy(h))
        def check(request: Request) -> None:
            run(_send(h, request))

        check()
        assert run(reports(h)) == [] and alerts(h) == []


def _urls(h: Harness) -> Callable[[], str]:
    return lambda: h.standin.new_response_url("CPUBLIC01", OUTSIDER)


def test_slash_commands(database_url: str) -> None:
    _fuzz(database_url, lambda h: slash_commands(_urls(h)))


def test_report_submissions(database_url: str) -> None:
    _fuzz(database_url, lambda h: st.one_of(overlong_report(), broken_report()))


def test_other_interactions(database_url: str) -> None:
    _fuzz(
        database_url,
        lambda h: st.one_of(block_actions(_urls(h)), resolve_submission(), other_interactions()),
    )


def test_events_and_raw_bodies(database_url: str) -> None:
    _fuzz(database_url, lambda h: st.one_of(events(), raw_bodies()))


ODD_BUT_VALID = "\u202eRTL\u200f 受付で\x00怒鳴られた \ud800 🇯🇵 ｶｽﾊﾗ <!channel>"


async def test_odd_but_valid_text_is_kept_and_made_safe(harness: Harness) -> None:
    """A real report may hold odd characters; what cannot be stored or sent is replaced."""
    view_id = await open_modal(harness)
    view = public_view(harness.standin.state.views[view_id])
    view["state"] = {"values": report_state(ODD_BUT_VALID, customer="\ud83d 様")}
    payload = payloads.common(harness.standin.state, "view_submission", STAFF[0]) | {"view": view}
    # Escaped as JSON may carry them: the stand-in's own encoder cannot send lone surrogates.
    resp = await harness.driver.send_raw(interactive(payload), FORM)
    await harness.settle()
    assert resp.status == 200 and not resp.body
    [report] = await reports(harness)
    view_text = harness.svc.cipher.decrypt(report.description_enc) or ""
    assert "\ud800" not in view_text and "\x00" not in view_text
    assert "怒鳴られた" in view_text and "\u202e" in view_text
    [alert] = alerts(harness)
    assert "怒鳴られた" in str(alert["blocks"])
    assert not [c for c in harness.standin.calls if not c.ok]
