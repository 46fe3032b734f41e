"""The same app over Socket Mode: envelopes in, acks out, reports alerted."""

from __future__ import annotations

from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.demo.harness import STAFF, SUPERVISORS, Harness, report_state
from slack_standin import SlackDriver


async def test_report_over_socket_mode(harness: Harness) -> None:
    token = harness.standin.workspace.app_token
    handler = AsyncSocketModeHandler(harness.app, token, web_client=harness.svc.gateway.client)
    await handler.connect_async()
    try:
        await harness.standin.socket_connected()
        driver = SlackDriver(harness.standin, socket_mode=True)
        ack = await driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="")
        assert ack.status == 200
        await harness.settle()
        [view_id] = list(harness.standin.views)
        resp = await driver.view_submission(
            user_id=STAFF[0], view_id=view_id, values=report_state("ソケットモードでの報告")
        )
        assert resp.status == 200
        await harness.settle()
        assert len(harness.standin.messages(SUPERVISORS)) == 1
        answer = await driver.slash_command(
            user_id=STAFF[0], command="/kasuhara", text="土下座しろと言われた"
        )
        assert "④土下座の要求" in str(answer.json)
    finally:
        await handler.close_async()
