"""Issue 10, case 1 on two instances sharing PostgreSQL: a row in flight is never claimed
again while its sender lives (the lease is renewed), a dead sender's rows are taken over,
and a Retry-After longer than the lease sends each message once. Short leases, injected
clocks: no test waits out a real lease."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager

import pytest

from bot.demo.harness import STAFF, SUPERVISORS, Harness, demo_workspace, report_state
from bot.demo.harness import running_harness as harness_on
from bot.privacy.crypto import generate_key
from slack_standin import SlackStandin
from storage.models import OutboxStatus
from tests.app.faults import dm_texts, outbox
from tests.app.helpers import alerts, open_modal
from tests.conftest import PG_URL, _reset_postgres

pytestmark = pytest.mark.skipif(not PG_URL, reason="needs PostgreSQL: KASUHARA_TEST_DATABASE_URL")
LEASE = 0.6  # seconds; the heartbeat renews every 0.2 s


@asynccontextmanager
async def two_instances(**settings: object) -> AsyncIterator[tuple[Harness, Harness]]:
    await _reset_postgres(PG_URL)
    key = generate_key()
    async with (
        SlackStandin(demo_workspace()) as standin,
        harness_on(PG_URL, standin=standin, KASUHARA_DATA_KEY=key, **settings) as a,
        harness_on(PG_URL, standin=standin, KASUHARA_DATA_KEY=key, **settings) as b,
    ):
        yield a, b


async def _submit_unsettled(h: Harness, text: str) -> None:
    """Submit and return at the ack, leaving the instance's delivery running."""
    view_id = await open_modal(h)
    resp = await h.driver.view_submission(
        user_id=STAFF[0], view_id=view_id, values=report_state(text)
    )
    assert resp.status == 200 and not resp.body


async def _until(check, what: str, within: float = 5.0) -> None:  # type: ignore[no-untyped-def]
    async with asyncio.timeout(within):
        while not await check():
            await asyncio.sleep(0.02)


def _advance(*hs: Harness, seconds: float) -> None:
    for h in hs:
        h.now.advance(seconds=seconds)


async def test_live_sender_keeps_its_row_however_long_slack_takes() -> None:
    async with two_instances(KASUHARA_OUTBOX_LEASE_SECONDS=LEASE) as (a, b):
        a.standin.set_delay("chat.postMessage", 1.5)

        async def alert_in_flight() -> bool:
            return any(r.kind == "alert" and r.status == "sending" for r in await outbox(a))

        await _submit_unsettled(a, "長時間居座られた")
        await _until(alert_in_flight, "a is sending the alert")
        _advance(a, b, seconds=600)  # ten minutes pass while Slack is slow

        async def renewed() -> bool:
            [row] = [r for r in await outbox(a) if r.kind == "alert"]
            return row.claimed_until is not None and row.claimed_until > b.now()

        await _until(renewed, "a's heartbeat renews the lease")
        await b.svc.deliverer.drain()
        await a.settle()
        await b.settle()
        assert len(alerts(a)) == 1
        assert len(a.standin.calls_to("chat.postMessage")) == 2  # one alert, one receipt


async def test_dead_senders_row_is_taken_over_and_sent_once() -> None:
    async with two_instances(KASUHARA_OUTBOX_LEASE_SECONDS=LEASE) as (a, b):
        a.standin.set_delay("chat.postMessage", 0.5)

        async def alert_in_flight() -> bool:
            return any(r.kind == "alert" and r.status == "sending" for r in await outbox(a))

        await _submit_unsettled(a, "脅迫された")
        await _until(alert_in_flight, "a is sending the alert")
        await a.svc.deliverer.close()  # a dies mid-send (its post may still reach Slack)
        await asyncio.sleep(0.6)  # let the stand-in finish the post a started
        _advance(a, b, seconds=LEASE * 2)
        a.standin.set_delay("chat.postMessage", 0)
        await b.settle()
        assert len(alerts(b)) == 1
        [row] = [r for r in await outbox(b) if r.kind == "alert"]
        assert row.status == OutboxStatus.SENT and row.claimed_by == b.svc.worker_id


async def test_retry_after_longer_than_the_lease_on_two_instances() -> None:
    async with two_instances(KASUHARA_OUTBOX_LEASE_SECONDS=5) as (a, b):
        a.standin.fail_next("chat.postMessage", times=2, status=429, retry_after=40)
        await _submit_unsettled(a, "電話で1時間怒鳴られた")
        for _ in range(120):  # two minutes of drains on both, one second apart
            _advance(a, b, seconds=1)
            await asyncio.gather(a.settle(), b.settle())
        assert len(alerts(a)) == 1
        posted = [c for c in a.standin.calls_to("chat.postMessage") if c.ok]
        assert len([c for c in posted if c.args["channel"] == SUPERVISORS]) == 1
        assert len([t for t in dm_texts(a, STAFF[0]) if "報告を受け付けました" in t]) == 1
