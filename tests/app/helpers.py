"""Small steps shared by the app tests: open the modal, submit a report, click a button."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.demo.harness import STAFF, SUPERVISORS, Harness, report_state
from storage.models import AuditEvent, Report


async def open_modal(h: Harness, user: str = STAFF[0]) -> str:
    before = set(h.standin.views)
    resp = await h.driver.slash_command(
        user_id=user, command="/kasuhara", text="", channel_id="CPUBLIC01"
    )
    assert resp.status == 200
    await h.settle()  # views.open runs after the ack
    opened = [v for v in h.standin.views if v not in before]
    assert len(opened) == 1, "the command opens exactly one modal"
    return opened[0]


async def submit(h: Harness, description: str, user: str = STAFF[0], **kw: Any) -> Any:
    view_id = await open_modal(h, user)
    resp = await h.driver.view_submission(
        user_id=user, view_id=view_id, values=report_state(description, **kw)
    )
    await h.settle()
    return resp


def alerts(h: Harness) -> list[dict[str, Any]]:
    return [
        m
        for m in h.standin.messages(SUPERVISORS)
        if (not m.get("thread_ts") or m.get("thread_ts") == m.get("ts"))
        and m.get("subtype") != "tombstone"  # what Slack leaves of a deleted parent
    ]


async def click(h: Harness, user: str, action_id: str, alert: dict[str, Any]) -> Any:
    case_id = next(
        e["value"] for b in alert["blocks"] if b["type"] == "actions" for e in b["elements"]
    )
    resp = await h.driver.block_action(
        user_id=user,
        channel_id=SUPERVISORS,
        message_ts=alert["ts"],
        action_id=action_id,
        value=case_id,
    )
    await h.settle()
    return resp


async def reports(h: Harness) -> list[Report]:
    async with h.svc.sessions() as s:
        return list((await s.exec(select(Report))).all())


async def audit(h: Harness) -> list[AuditEvent]:
    async with h.svc.sessions() as s:
        return list((await s.exec(select(AuditEvent))).all())


def all_text(message: dict[str, Any]) -> str:
    import json

    return json.dumps(message.get("blocks") or [], ensure_ascii=False) + message.get("text", "")


async def tampered_submission(h: Harness, user: str, view_id: str, values: dict) -> Any:
    """A view submission Slack's own client would refuse to send (a forged or replayed one):
    the app must still check every field itself."""
    from slack_standin import payloads
    from slack_standin.api_views import public_view

    view = public_view(h.standin.state.views[view_id])
    view["state"] = {"values": values}
    payload = payloads.common(h.standin.state, "view_submission", user)
    payload |= {
        "trigger_id": h.standin.new_trigger_id(user, view_id),
        "view": view,
        "response_urls": [],
    }
    return await h.driver.deliver("interactive", payload)
