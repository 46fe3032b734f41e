"""Retention: the text of closed cases goes after KASUHARA_RETENTION; the figures stay."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from zoneinfo import ZoneInfo

import pytest

from bot.demo.harness import STAFF, Harness
from bot.digest.weekly import week_figures
from bot.digest.weeks import week_containing
from bot.privacy.retention import JOB_ID, Age, cutoff, parse_age, run_retention
from bot.scheduler import start_scheduler
from tests.app.helpers import alerts, all_text, audit, reports, submit
from tests.privacy.story import closed_case, outbox_rows, report_by_number, request_keys

TOKYO = ZoneInfo("Asia/Tokyo")
OLD_TEXT = "古い案件:受付で灰皿を投げられそうになった"
OLD_CUSTOMER = "鈴木様(会員番号 4411)"
OLD_OUTCOME = "本社法務に引き継ぎ済み"
NEW_TEXT = "最近の案件:電話で三時間拘束された"
OPEN_TEXT = "未完了の案件:毎日来店して同じ要求"


@pytest.mark.parametrize(
    ("text", "age"),
    [("3y", Age(3, "y")), ("18m", Age(18, "m")), ("6w", Age(6, "w")), (" 90d ", Age(90, "d"))],
)
def test_ages_are_parsed(text: str, age: Age) -> None:
    assert parse_age(text) == age


@pytest.mark.parametrize("text", ["", "0d", "3", "y", "3x", "-1y", "1.5y", "3 years"])
def test_bad_ages_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match="is not an age"):
        parse_age(text)


def test_cutoff_counts_calendar_time_in_the_zone() -> None:
    now = datetime(2029, 2, 28, 15, 30, tzinfo=UTC)  # 1 March 00:30 in Tokyo
    assert cutoff(now, Age(3, "y"), TOKYO) == datetime(2026, 2, 28, 15, 30, tzinfo=UTC)
    leap = datetime(2028, 2, 29, 3, 0, tzinfo=UTC)
    assert cutoff(leap, Age(1, "y"), TOKYO) == datetime(2027, 2, 28, 3, 0, tzinfo=UTC)
    assert cutoff(leap, Age(13, "m"), TOKYO) == datetime(2027, 1, 29, 3, 0, tzinfo=UTC)
    assert cutoff(leap, Age(2, "w"), TOKYO) == datetime(2028, 2, 15, 3, 0, tzinfo=UTC)


async def _three_cases(h: Harness) -> tuple[str, str, str]:
    """Case numbers of an old closed case, a closed case ten days younger, and an open one."""
    await closed_case(h, OLD_TEXT, customer=OLD_CUSTOMER, outcome=OLD_OUTCOME)
    h.now.advance(days=10)
    await closed_case(h, NEW_TEXT, customer="田中様")
    await submit(h, OPEN_TEXT, user=STAFF[1])
    old, new, open_case = sorted(await reports(h), key=lambda r: r.id or 0)
    return old.case_number, new.case_number, open_case.case_number


async def test_purge_removes_text_of_old_closed_cases_only(harness: Harness) -> None:
    h = harness
    old_no, new_no, open_no = await _three_cases(h)
    before = await report_by_number(h, old_no)
    span = week_containing(before.created_at, h.svc.clock.zone)
    h.now.advance(days=365 * 3 - 5)  # the old case is now past 3 years, the newer one not
    figures = await week_figures(h.svc, span)

    result = await run_retention(h.svc)
    await h.settle()

    assert result.cases == 1
    old = await report_by_number(h, old_no)
    assert (old.description_enc, old.customer_enc, old.outcome_enc) == (None, None, None)
    assert old.source_permalink_enc is None and old.purged_at is not None
    kept = ("behaviours", "contact_channel", "urgent", "created_at", "occurred_at", "status")
    assert {k: getattr(old, k) for k in kept} == {k: getattr(before, k) for k in kept}
    assert old.resolved_at == before.resolved_at and old.acknowledged_at is not None
    for number in (new_no, open_no):
        assert (await report_by_number(h, number)).description_enc is not None
    assert await week_figures(h.svc, span) == figures


async def test_purge_is_audited_without_content(harness: Harness) -> None:
    h = harness
    old_no = (await _three_cases(h))[0]
    h.now.advance(days=365 * 3)
    await run_retention(h.svc)
    old = await report_by_number(h, old_no)
    [event] = [e for e in await audit(h) if e.action == "report.purged"]
    assert (event.case_id, event.actor_id) == (old.id, "system")
    detail = json.loads(event.detail)
    assert detail == {"older_than": "3y", "removed": ["description", "customer", "outcome"]}
    assert await run_retention(h.svc) == await run_retention(h.svc)
    assert (await run_retention(h.svc)).cases == 0
    assert len([e for e in await audit(h) if e.action == "report.purged"]) == 1


async def test_purged_alert_is_re_rendered_without_the_text(harness: Harness) -> None:
    h = harness
    await _three_cases(h)
    h.now.advance(days=365 * 3)
    await run_retention(h.svc)
    await h.settle()
    old, new, _ = alerts(h)
    assert "保存期間を過ぎたため" in all_text(old)
    for text in (OLD_TEXT, OLD_CUSTOMER):
        assert text not in all_text(old)
    assert NEW_TEXT in all_text(new)
    assert not [c for c in h.standin.calls if not c.ok]


async def test_delivery_bookkeeping_is_forgotten_after_a_month(harness: Harness) -> None:
    h = harness
    await closed_case(h, NEW_TEXT)
    h.now.advance(days=31)
    assert await request_keys(h)
    sent = [r for r in await outbox_rows(h) if r.status == "sent" and r.payload != "{}"]
    assert sent

    result = await run_retention(h.svc)

    assert result.cases == 0 and result.requests > 0 and result.payloads == len(sent)
    assert await request_keys(h) == []
    assert all(r.payload == "{}" for r in await outbox_rows(h) if r.status == "sent")
    report = await report_by_number(h, "KH-2026-0001")
    assert report.description_enc is not None  # the case itself is kept for three years


async def test_status_still_lists_a_purged_case(harness: Harness) -> None:
    h = harness
    old_no = (await _three_cases(h))[0]
    h.now.advance(days=365 * 3)
    await run_retention(h.svc)
    resp = await h.driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="status")
    assert old_no in resp.json["text"]


async def test_retention_runs_daily_at_half_past_three_local(harness: Harness) -> None:
    scheduler = start_scheduler(harness.svc)
    try:
        job = scheduler.get_job(JOB_ID)
        assert job is not None
        fire = job.trigger.get_next_fire_time(None, datetime(2026, 12, 1, 10, tzinfo=TOKYO))
        assert fire == datetime(2026, 12, 2, 3, 30, tzinfo=TOKYO)
        assert {"outbox.drain", "followups.due"} <= {j.id for j in scheduler.get_jobs()}
    finally:
        scheduler.shutdown(wait=False)
