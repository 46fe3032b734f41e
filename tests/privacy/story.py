"""Steps shared by the privacy tests: a case taken from report to resolution."""

from __future__ import annotations

from typing import Any

from sqlmodel import select

from bot.demo.harness import STAFF, SUPERVISOR_IDS, Harness
from storage.models import OutboxMessage, ProcessedRequest
from tests.app.helpers import alerts, click, reports, submit

SATO, ITO = SUPERVISOR_IDS


def outcome_values(text: str) -> dict[str, Any]:
    return {"case.outcome": {"outcome": {"type": "plain_text_input", "value": text}}}


async def resolve(h: Harness, alert: dict[str, Any], outcome: str, user: str = ITO) -> Any:
    await click(h, user, "case.resolve", alert)
    view_id = next(
        v
        for v, view in reversed(h.standin.views.items())
        if view["callback_id"] == "case.resolve.submit" and not view.get("closed")
    )
    resp = await h.driver.view_submission(
        user_id=user, view_id=view_id, values=outcome_values(outcome)
    )
    await h.settle()
    return resp


async def closed_case(
    h: Harness, description: str, *, customer: str = "", outcome: str = "出入り禁止", **kw: Any
) -> dict[str, Any]:
    """Report, acknowledge, take and resolve one case; returns its alert as it is now."""
    before = {a["ts"] for a in alerts(h)}
    await submit(h, description, user=kw.pop("user", STAFF[0]), customer=customer, **kw)
    [alert] = [a for a in alerts(h) if a["ts"] not in before]
    await click(h, SATO, "case.ack", alert)
    await click(h, SATO, "case.take", alert)
    await resolve(h, alert, outcome)
    return next(a for a in alerts(h) if a["ts"] == alert["ts"])


async def report_by_number(h: Harness, number: str) -> Any:
    return next(r for r in await reports(h) if r.case_number == number)


async def outbox_rows(h: Harness) -> list[OutboxMessage]:
    async with h.svc.sessions() as s:
        return list((await s.exec(select(OutboxMessage))).all())


async def request_keys(h: Harness) -> list[ProcessedRequest]:
    async with h.svc.sessions() as s:
        return list((await s.exec(select(ProcessedRequest))).all())
