"""Two app instances on one database, Slack's requests spread over both: once each."""

from __future__ import annotations

import asyncio
from collections import Counter

import pytest

from bot.cases.followup_jobs import run_due_followups
from bot.demo.harness import (
    STAFF,
    SUPERVISORS,
    Harness,
    demo_workspace,
    report_state,
    running_harness,
)
from bot.privacy.crypto import generate_key
from slack_standin import SlackStandin
from tests.conftest import PG_URL, _reset_postgres

REPORTS = 200


async def _open(h: Harness, user: str) -> str:
    before = set(h.standin.views)
    await h.driver.slash_command(user_id=user, command="/kasuhara", text="")
    await h.settle()
    [view_id] = [v for v in h.standin.views if v not in before]
    return view_id


async def _submit(h: Harness, user: str, view_id: str, i: int) -> None:
    resp = await h.driver.view_submission(
        user_id=user, view_id=view_id, values=report_state(f"二重送信の確認 {i}")
    )
    assert resp.status == 200 and not resp.body


async def _run_both(standin: SlackStandin, key: str) -> None:
    async with (
        running_harness(PG_URL, standin=standin, KASUHARA_DATA_KEY=key) as a,
        running_harness(PG_URL, standin=standin, KASUHARA_DATA_KEY=key) as b,
    ):
        for start in range(0, REPORTS, 20):
            batch = [((a, b)[i % 2], STAFF[i % 2], i) for i in range(start, start + 20)]
            views = [await _open(h, user) for h, user, _ in batch]
            pairs = zip(batch, views, strict=True)
            await asyncio.gather(*(_submit(h, user, v, i) for (h, user, i), v in pairs))
        await asyncio.gather(a.settle(), b.settle())
        for h in (a, b):
            h.now.advance(days=8)
        await asyncio.gather(run_due_followups(a.svc), run_due_followups(b.svc))
        await asyncio.gather(a.settle(), b.settle())


@pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: set KASUHARA_TEST_DATABASE_URL")
async def test_two_instances_send_every_alert_and_followup_once() -> None:
    await _reset_postgres(PG_URL)
    key = generate_key()
    async with SlackStandin(demo_workspace()) as standin:
        await _run_both(standin, key)
        alerts = standin.messages(SUPERVISORS)
        assert len(alerts) == REPORTS
        assert len({m["metadata"]["event_payload"]["case_id"] for m in alerts}) == REPORTS
        reminders = Counter(
            m["ts"]
            for m in alerts
            for r in standin.replies(SUPERVISORS, m["ts"])
            if "まだ確認されていません" in r["text"]
        )
        assert len(reminders) == REPORTS and set(reminders.values()) == {1}
        checkins = [
            m
            for u in STAFF
            for m in standin.messages(standin.dm_channel(u))
            if "その後いかがですか" in m["text"]
        ]
        assert len(checkins) == REPORTS * 2  # day 1 and day 7, once each
