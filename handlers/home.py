"""App Home: opened by the person; shows only their own reports."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases.lifecycle import reports_of
from bot.services import Services
from handlers.alert_view import format_time
from handlers.home_view import build_home
from handlers.ids import Action
from handlers.report_modal import open_report_modal
from handlers.routes import Routes


async def handle_home_opened(
    event: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    if event.get("tab", "home") != "home":
        return
    svc: Services = context["svc"]
    user = str(event["user"])
    cases = await reports_of(svc, user, limit=20)
    view = build_home(svc.catalog, cases, lambda m: format_time(svc.clock.local(m)))
    await client.views_publish(user_id=user, view=view)


async def handle_home_report(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    await open_report_modal(client, context["svc"], body["trigger_id"])


def register(app: Routes) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.action(Action.HOME_REPORT)(handle_home_report)
