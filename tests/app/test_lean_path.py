"""The acknowledgement path writes only what guards real work; Slack calls share connections."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.cases.actions import ACK
from bot.demo.harness import (
    OUTSIDER,
    PUBLIC,
    STAFF,
    SUPERVISOR_IDS,
    Harness,
    report_state,
    running_harness,
)
from handlers.ids import case_action_id
from slack_standin import payloads
from storage.models import ProcessedRequest
from tests.app.helpers import alerts, audit, click, open_modal, reports, submit

SATO, ITO = SUPERVISOR_IDS
ACK_BUTTON = case_action_id(ACK.name)


async def keys(h: Harness) -> list[str]:
    async with h.svc.sessions() as s:
        return [r.key for r in (await s.exec(select(ProcessedRequest))).all()]


def recording(h: Harness) -> list[dict[str, Any]]:
    """The payloads the driver sends from now on, to send one again as a replay would."""
    sent: list[dict[str, Any]] = []
    deliver = h.driver.deliver

    async def recorded(kind: str, payload: dict[str, Any], *args: Any) -> Any:
        sent.append(payload)
        return await deliver(kind, payload, *args)

    h.driver.deliver = recorded  # type: ignore[method-assign]
    return sent


async def test_help_status_and_questions_write_nothing(harness: Harness) -> None:
    h = harness
    for text in ("help", "status", "窓口で大声で怒鳴られたらどうすればいいですか"):
        resp = await h.driver.slash_command(
            user_id=STAFF[0], command="/kasuhara", text=text, channel_id=PUBLIC
        )
        assert resp.status == 200 and resp.json["text"]
    await h.settle()
    assert await keys(h) == []


async def test_submission_writes_no_separate_key(harness: Harness) -> None:
    """The report's view id guards a resubmission, in the report's own transaction."""
    h = harness
    await submit(h, "窓口で机を叩かれた")
    assert len(await reports(h)) == 1
    assert await keys(h) == []


async def test_replayed_submission_saves_one_report(harness: Harness) -> None:
    h = harness
    view_id = await open_modal(h)
    sent = recording(h)
    first = await h.driver.view_submission(
        user_id=STAFF[0], view_id=view_id, values=report_state("電話で1時間怒鳴られた")
    )
    replay = await h.driver.deliver("interactive", sent[-1])
    await h.settle()
    assert first.status == 200 and replay.status == 200
    assert replay.body == ""  # answered as the first: the modal closes
    assert len(await reports(h)) == 1
    assert len(alerts(h)) == 1


async def test_replayed_click_acts_once(harness: Harness) -> None:
    """A refused click is audited and told once; its replay finds the key and does nothing."""
    h = harness
    await submit(h, "窓口で机を叩かれた")
    [alert] = alerts(h)
    sent = recording(h)
    await click(h, OUTSIDER, ACK_BUTTON, alert)
    assert len(h.standin.response_url_posts) == 1  # "only supervisors may…"
    replay = await h.driver.deliver("interactive", sent[-1])
    await h.settle()
    assert replay.status == 200
    assert len(h.standin.response_url_posts) == 1
    assert len([e for e in await audit(h) if e.action == "action.refused"]) == 1
    # Another click (a new payload) is not a replay: it is refused and told again.
    await click(h, OUTSIDER, ACK_BUTTON, alert)
    assert len(h.standin.response_url_posts) == 2


async def test_retried_mention_is_answered_once(harness: Harness) -> None:
    h = harness
    message = h.standin.post_user_message(PUBLIC, STAFF[1], "<@UBOT> 何回も同じことで電話してくる")
    state = h.standin.state
    event = payloads.message_event(state, PUBLIC, message) | {"type": "app_mention"}
    event.pop("channel_type", None)
    envelope = payloads.event_envelope(state, event, "EvMention1")
    await h.driver.deliver("events_api", envelope)
    await h.settle()
    await h.driver.deliver("events_api", envelope, retry_num=1, retry_reason="http_timeout")
    await h.settle()
    assert len(h.standin.replies(PUBLIC, message["ts"])) == 1


async def test_web_api_calls_share_one_connection(sqlite_url: str) -> None:
    async with running_harness(sqlite_url) as h:
        for text in ("窓口で机を叩かれた", "電話で1時間怒鳴られた", "土下座しろと言われた"):
            await submit(h, text)
        for alert in alerts(h):
            await click(h, SATO, ACK_BUTTON, alert)
        await click(h, OUTSIDER, ACK_BUTTON, alerts(h)[0])  # refused: told via response_url
        assert len(h.standin.response_url_posts) == 1
        calls = len(h.standin.calls) + len(h.standin.response_url_posts)
        assert calls >= 15, "views.open, posts, DMs, members, updates and a notice"
        assert h.standin.connections <= 2, f"{h.standin.connections} connections"
        client = h.svc.gateway.client
    assert client.session is None  # closed with the app; a late call would not reuse it


async def test_stand_in_counts_connections(harness: Harness) -> None:
    """Without a shared session every call opens a connection: the counter sees each."""
    from slack_sdk.web.async_client import AsyncWebClient

    before = harness.standin.connections
    lone = AsyncWebClient(token="xoxb-standin", base_url=harness.standin.api_url)
    for _ in range(3):
        await lone.auth_test()
    assert harness.standin.connections - before == 3


async def test_ack_is_answered_before_the_work_after_it(sqlite_url: str) -> None:
    """The command's answer does not wait for views.open, which Slack holds for a second."""
    async with running_harness(sqlite_url) as h:
        h.standin.set_delay("views.open", 1.0)
        resp = await h.driver.slash_command(
            user_id=STAFF[0], command="/kasuhara", text="", channel_id=PUBLIC
        )
        assert resp.status == 200 and not h.standin.views
        await h.settle()
        assert len(h.standin.views) == 1


async def test_listener_failing_before_its_ack_gets_bolts_answer(sqlite_url: str) -> None:
    """A listener that raises before acking is answered by Bolt's error handling (500), at
    once rather than after the 3 s ack timeout."""
    async with running_harness(sqlite_url) as h:
        view_id = await open_modal(h)

        async def broken(*args: Any, **kwargs: Any) -> Any:
            raise RuntimeError("not a database error")

        import handlers.report_modal as report_modal

        original, report_modal.submit_report = report_modal.submit_report, broken
        try:
            resp = await h.driver.view_submission(
                user_id=STAFF[0], view_id=view_id, values=report_state("窓口で机を叩かれた")
            )
        finally:
            report_modal.submit_report = original
        assert resp.status == 500 and not resp.late
        assert await reports(h) == []
