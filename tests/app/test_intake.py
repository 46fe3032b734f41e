"""Reporting through signed HTTP requests, with the Web API answered by the stand-in."""

from __future__ import annotations

import asyncio
from datetime import timedelta
from typing import Any

from sqlalchemy.exc import OperationalError

from bot.demo.harness import STAFF, SUPERVISORS, Harness, report_state, running_harness
from tests.app.helpers import (
    alerts,
    all_text,
    open_modal,
    reports,
    submit,
    tampered_submission,
)


async def test_command_opens_modal_within_slacks_limits(harness: Harness) -> None:
    view_id = await open_modal(harness)
    view = harness.standin.views[view_id]
    assert view["callback_id"] == "report.submit"
    behaviours = next(b for b in view["blocks"] if b.get("block_id") == "report.behaviours")
    assert len(behaviours["element"]["options"]) == 13
    assert not [c for c in harness.standin.calls if not c.ok]


async def test_report_is_saved_encrypted_and_alerted(harness: Harness) -> None:
    resp = await submit(harness, "窓口で1時間怒鳴られました", behaviours=(2, 3))
    assert resp.status == 200 and not resp.body
    [report] = await reports(harness)
    assert report.case_number.startswith("KH-") and report.case_number.endswith("-0001")
    assert "怒鳴" not in (report.description_enc or "")
    [alert] = alerts(harness)
    assert report.case_number in alert["text"]
    assert alert["metadata"]["event_type"] == "kasuhara_case"
    dm = harness.standin.messages(harness.standin.dm_channel(STAFF[0]))
    assert report.case_number in dm[0]["text"]
    assert "110番" not in dm[0]["text"]


async def test_urgent_report_pings_here_and_puts_safety_first(harness: Harness) -> None:
    await submit(harness, "今も窓口に居座っています", urgent=True)
    [alert] = alerts(harness)
    assert alert["text"].startswith("<!here>")
    dm = harness.standin.messages(harness.standin.dm_channel(STAFF[0]))[0]
    assert dm["text"].startswith("*身の安全を最優先に — 危険を感じたら110番*")


async def test_reporter_text_is_inert_in_the_alert(harness: Harness) -> None:
    evil = "<!channel> <@USUP0001> <https://evil.example/|ログイン> & <!here>"
    await submit(harness, evil, customer="<!everyone>")
    [alert] = alerts(harness)
    body = all_text(alert)
    for live in ("<!channel>", "<@USUP0001>", "<https://evil", "<!everyone>"):
        assert live not in body
    assert "&lt;!channel&gt;" in body and "&amp;" in body
    assert not alert["text"].startswith("<!here>")


async def _expect_field_error(h: Harness, block: str, **kw: Any) -> None:
    view_id = await open_modal(h)
    resp = await tampered_submission(h, STAFF[0], view_id, report_state(**kw))
    await h.settle()
    assert resp.status == 200
    assert resp.json["response_action"] == "errors"
    assert list(resp.json["errors"]) == [block]
    assert await reports(h) == []
    assert alerts(h) == []


async def test_bad_input_gets_errors_on_the_field(harness: Harness) -> None:
    future = harness.now() + timedelta(hours=2)
    await _expect_field_error(harness, "report.occurred", description="x", occurred=future)
    await _expect_field_error(harness, "report.description", description="   ")
    await _expect_field_error(harness, "report.description", description="あ" * 3001)
    await _expect_field_error(harness, "report.behaviours", description="x", behaviours=(14,))
    await _expect_field_error(harness, "report.contact", description="x", contact="fax")


async def test_forged_or_stale_requests_are_refused(harness: Harness) -> None:
    view_id = await open_modal(harness)
    body = b"command=%2Fkasuhara&text=&user_id=USTAFF01&trigger_id=1.2.x"
    forged = await harness.driver.send_raw(
        body, "application/x-www-form-urlencoded", signature_override="v0=deadbeef"
    )
    assert forged.status == 401
    harness.driver.clock = lambda: harness.now().timestamp() - 600
    stale = await harness.driver.view_submission(
        user_id=STAFF[0], view_id=view_id, values=report_state("古い要求")
    )
    assert stale.status == 401
    await harness.settle()
    assert await reports(harness) == []
    assert alerts(harness) == []


async def test_database_failure_shows_error_and_posts_nothing(database_url: str) -> None:
    class Broken:
        def begin(self) -> Any:
            raise OperationalError("INSERT", {}, Exception("disk I/O error"))

    async with running_harness(database_url) as h:
        view_id = await open_modal(h)
        real = h.svc.sessions
        h.svc.sessions = Broken()  # type: ignore[assignment]
        resp = await h.driver.view_submission(
            user_id=STAFF[0], view_id=view_id, values=report_state("保存できないはず")
        )
        h.svc.sessions = real
        await h.settle()
        assert resp.json["response_action"] == "errors"
        assert "保存できませんでした" in resp.json["errors"]["report.description"]
        assert await reports(h) == []
        assert h.standin.messages(SUPERVISORS) == []


async def test_concurrent_submissions_get_distinct_numbers(harness: Harness) -> None:
    views = [await open_modal(harness) for _ in range(50)]
    results = await asyncio.gather(
        *(
            harness.driver.view_submission(
                user_id=STAFF[0], view_id=v, values=report_state(f"同時送信 {i}")
            )
            for i, v in enumerate(views)
        )
    )
    # Every answer in time (Slack's 3 s): the modal closes, or, when the burst queued a save
    # past the ack budget, our own "press 送信 again" (issue 10: never Slack's timeout).
    assert [r.status for r in results if r.status != 200 or r.late] == []
    again = [(i, v) for i, (v, r) in enumerate(zip(views, results, strict=True)) if r.body]
    for r in results:
        if r.body:
            assert "もう一度「送信する」" in r.json["errors"]["report.description"]
    await harness.settle()
    for i, v in again:  # pressed again: the same case, never a second one
        resp = await harness.driver.view_submission(
            user_id=STAFF[0], view_id=v, values=report_state(f"同時送信 {i}")
        )
        assert resp.status == 200 and not resp.body
    await harness.settle()
    numbers = {r.case_number for r in await reports(harness)}
    assert len(numbers) == 50
    assert len(alerts(harness)) == 50
