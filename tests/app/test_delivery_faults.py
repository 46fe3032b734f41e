"""Issue 10, cases 1-4: long Retry-After, text/plain 500s, long reports, refusing channels.
Everything through the app's HTTP endpoint and the stand-in; time is injected."""

from __future__ import annotations

import logging

import pytest

from bot.demo.harness import STAFF, SUPERVISORS, Harness, report_state, running_harness
from slack_standin.state import ApiCall
from storage.models import OutboxStatus
from tests.app.faults import alert_count, dm_texts, drain_for, full_description, outbox
from tests.app.helpers import alerts, click, open_modal, submit


async def test_case1_long_retry_after_sends_one_alert_and_one_receipt(harness: Harness) -> None:
    """429 with Retry-After: 40, twice: the row is released with a not-before time, never
    slept on while claimed, so the periodic drain cannot claim it again."""
    harness.standin.fail_next("chat.postMessage", times=2, status=429, retry_after=40)
    await submit(harness, "電話で1時間怒鳴られた")
    assert alert_count(harness) == 0
    [alert_row] = [r for r in await outbox(harness) if r.kind == "alert"]
    assert alert_row.status == OutboxStatus.PENDING and alert_row.claimed_until is None
    await drain_for(harness, 39)  # a drain every second: nothing is due before 40 s
    assert len(_posts_to(harness, SUPERVISORS)) == 1
    await drain_for(harness, 90)
    assert alert_count(harness) == 1
    assert len([c for c in _posts_to(harness, SUPERVISORS) if c.ok]) == 1
    # One receipt, true when it was sent (the second 429 fell on it, and by its retry the
    # alert was posted); had it said "not yet", the news would have followed.
    [receipt] = [t for t in dm_texts(harness, STAFF[0]) if "報告を受け付けました" in t]
    news = [t for t in dm_texts(harness, STAFF[0]) if "管理者に届きました" in t]
    assert len(news) == ("まだ管理者に届いていません" in receipt)


def _posts_to(h: Harness, channel: str) -> list[ApiCall]:
    return [c for c in h.standin.calls_to("chat.postMessage") if c.args["channel"] == channel]


async def test_case2_plain_text_500s_do_not_stall_delivery(
    harness: Harness, caplog: pytest.LogCaptureFixture
) -> None:
    """A proxy's text/plain 500 is a retry like any 5xx, not a crash of the whole batch."""
    harness.standin.fail_next("chat.postMessage", times=4, status=500, text="Internal Error")
    with caplog.at_level(logging.WARNING):
        for i in range(10):
            await submit(harness, f"窓口で大声を出された {i}")
        await drain_for(harness, 5)  # the failed ones are retried within seconds, not a lease
    assert alert_count(harness) == 10
    assert len({a["metadata"]["event_payload"]["case_id"] for a in alerts(harness)}) == 10
    assert "outbox drain failed" not in caplog.text
    assert "AttributeError" not in caplog.text
    assert "error=http_500" in caplog.text


@pytest.mark.parametrize(
    "description",
    [
        "顧客から&<>の連続" * 300,  # 3,000 characters, many of them escaped
        "😡" * 3000,  # 6,000 UTF-16 code units
        ("長い行" * 400 + "\n") * 3,
    ],
    ids=["escaped", "emoji", "lines"],
)
async def test_case3_whole_description_reaches_supervisors(
    database_url: str, description: str
) -> None:
    async with running_harness(database_url) as h:
        h.standin.state.count_utf16 = True  # as Slack's strictest surfaces count
        description = description[:3000]
        await submit(h, description)
        [alert] = alerts(h)
        assert full_description(h, alert) == description
        assert not [c for c in h.standin.calls if c.error == "invalid_blocks"]


async def test_case3_refused_blocks_are_sent_in_safe_form(harness: Harness) -> None:
    """invalid_blocks is not a dead end: the alert goes as plain text, never dropped."""
    harness.standin.fail_next("chat.postMessage", error="invalid_blocks")
    await submit(harness, "机を叩かれた")
    [alert] = alerts(harness)
    assert "blocks" not in alert and "机を叩かれた" in alert["text"]
    assert "KH-" in alert["text"]


@pytest.mark.parametrize(
    "refusal",
    [{"is_archived": True}, {"members": ("USUP0001",)}],
    ids=["archived", "bot_removed"],
)
async def test_case4_refusing_channel_holds_until_fixed(
    harness: Harness, refusal: dict[str, object]
) -> None:
    before = harness.standin.state.channels[SUPERVISORS]
    harness.standin.update_channel(SUPERVISORS, **refusal)
    await submit(harness, "居座られた")
    await drain_for(harness, 3 * 3600, step=600)  # three hours: never given up
    assert alert_count(harness) == 0
    [row] = [r for r in await outbox(harness) if r.kind == "alert"]
    assert row.status == OutboxStatus.PENDING and (row.last_error or "").startswith("hold:")
    harness.standin.update_channel(SUPERVISORS, **{k: getattr(before, k) for k in refusal})
    await drain_for(harness, 120, step=30)
    assert alert_count(harness) == 1
    assert any("管理者に届きました" in t for t in dm_texts(harness, STAFF[0]))


async def test_case4_token_refused_for_a_while_then_everything_is_sent(harness: Harness) -> None:
    view_id = await open_modal(harness)  # Bolt checked the token here, before the rotation
    harness.standin.refuse_token(True)
    await harness.driver.view_submission(
        user_id=STAFF[0], view_id=view_id, values=report_state("暴言を受けた")
    )
    await harness.settle()
    await drain_for(harness, 20)
    rows = await outbox(harness)
    assert rows and all(r.status == OutboxStatus.PENDING for r in rows)
    assert {r.last_error for r in rows if r.kind in ("alert", "receipt")} == {"hold:invalid_auth"}
    harness.standin.refuse_token(False)
    await drain_for(harness, 90, step=10)
    assert alert_count(harness) == 1
    receipts = [t for t in dm_texts(harness, STAFF[0]) if "受付番号" in t]
    assert len(receipts) == 1 and "管理者に通知しました" in receipts[0]
    assert not [r for r in await outbox(harness) if r.status == OutboxStatus.FAILED]


async def test_case3_safe_form_refused_too_is_held_not_dropped(harness: Harness) -> None:
    harness.standin.fail_next("chat.postMessage", times=2, error="msg_too_long")
    await submit(harness, "大声で威圧された")
    assert alert_count(harness) == 0
    [row] = [r for r in await outbox(harness) if r.kind == "alert"]
    assert row.status == OutboxStatus.PENDING
    assert row.last_error == "hold:safe_form_refused:msg_too_long"
    await drain_for(harness, 90, step=30)
    [alert] = alerts(harness)
    assert "大声で威圧された" in alert["text"]


async def test_case3_refused_edit_is_sent_in_safe_form(harness: Harness) -> None:
    await submit(harness, "返金しろと1時間")
    [alert] = alerts(harness)
    harness.standin.fail_next("chat.update", error="invalid_blocks")
    await click(harness, "USUP0001", "case.ack", alert)
    [alert] = alerts(harness)
    assert alert["blocks"] == [] and "KH-" in alert["text"] and "返金しろと1時間" in alert["text"]
    assert [c.error for c in harness.standin.calls_to("chat.update")] == ["invalid_blocks", None]
