"""Slack did the work, then its answer was lost (a 5xx after the effect, a dropped
connection): the report must still reach each place exactly once, and nobody be told it
failed. The stand-in plays the lost answer with `fail_next(..., after=True)`."""

from __future__ import annotations

import pytest

from bot.demo.harness import STAFF, SUPERVISORS, Harness
from tests.app.faults import alert_count, dm_texts, drain_for
from tests.app.helpers import alerts, submit

LOST = [
    pytest.param({"status": 500}, id="http500"),
    pytest.param(
        {"status": 503, "text": "<html><body>503 Service Unavailable</body></html>"}, id="html503"
    ),
    pytest.param({"reset": True}, id="reset"),
    # "It's possible some aspect of the operation succeeded before the error was raised."
    pytest.param({"status": 200, "error": "fatal_error"}, id="fatal_error"),
]


@pytest.mark.parametrize("fault", LOST)
async def test_alert_posted_but_answer_lost_is_not_doubled(
    harness: Harness, fault: dict[str, object]
) -> None:
    harness.standin.fail_next("chat.postMessage", after=True, **fault)  # type: ignore[arg-type]
    await submit(harness, "電話で1時間怒鳴られた")
    await drain_for(harness, 60)
    assert alert_count(harness) == 1
    [alert] = alerts(harness)
    assert alert["metadata"]["event_payload"]["case"] == "KH-2026-0001"
    receipts = [t for t in dm_texts(harness, STAFF[0]) if "報告を受け付けました" in t]
    assert len(receipts) == 1


@pytest.mark.parametrize("fault", LOST)
async def test_thread_line_posted_but_answer_lost_is_not_doubled(
    harness: Harness, fault: dict[str, object]
) -> None:
    from tests.app.helpers import click
    from tests.privacy.story import SATO

    await submit(harness, "電話で1時間怒鳴られた")
    [alert] = alerts(harness)
    harness.standin.fail_next("chat.postMessage", after=True, **fault)  # type: ignore[arg-type]
    await click(harness, SATO, "case.ack", alert)
    await drain_for(harness, 60)
    lines = harness.standin.replies(SUPERVISORS, alert["ts"])
    assert len(lines) == 1, [m.get("text") for m in lines]


async def test_alert_and_receipt_both_lost_are_each_sent_once(harness: Harness) -> None:
    harness.standin.fail_next("chat.postMessage", times=2, status=500, after=True)
    await submit(harness, "電話で1時間怒鳴られた")
    await drain_for(harness, 60)
    assert alert_count(harness) == 1
    receipts = [t for t in dm_texts(harness, STAFF[0]) if "報告を受け付けました" in t]
    assert len(receipts) == 1


@pytest.mark.parametrize(
    "fault",
    [
        pytest.param({"status": 500}, id="http500-nothing-posted"),
        pytest.param({"status": 500, "after": True}, id="http500-posted"),
        pytest.param({"reset": True}, id="reset-nothing-posted"),
        pytest.param({"reset": True, "after": True}, id="reset-posted"),
    ],
)
async def test_a_policy_answer_in_a_dm_arrives_once(
    harness: Harness, fault: dict[str, object]
) -> None:
    """An answer posted straight from the listener (no outbox): Slack failing before or after
    posting it still leaves exactly one answer, not none and not two."""
    from slack_standin import payloads

    dm = harness.standin.state.open_conversation([STAFF[0]])[0].id
    message = harness.standin.post_user_message(dm, STAFF[0], "土下座しろと言われた")
    harness.standin.fail_next("chat.postMessage", **fault)  # type: ignore[arg-type]
    await harness.driver.event(payloads.message_event(harness.standin.state, dm, message))
    await harness.settle()
    assert len([m for m in harness.standin.messages(dm) if m.get("bot_id")]) == 1
