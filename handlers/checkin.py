"""The reporter's buttons on a wellbeing check-in DM."""

from __future__ import annotations

from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond

from bot.cases.checkins import answer_checkin
from bot.services import Services
from handlers.dedupe import key_of
from handlers.ids import Action, row_id
from handlers.routes import Routes

ANSWER = {Action.CHECKIN_OK: "ok", Action.CHECKIN_HELP: "help"}


async def handle_checkin_button(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    await ack()
    svc: Services = context["svc"]
    action = body["actions"][0]
    followup_id = row_id(action.get("value"))
    if followup_id is None:
        return
    thanks = await answer_checkin(
        svc,
        followup_id=followup_id,
        user=body["user"]["id"],
        answer=ANSWER[Action(action["action_id"])],
        once=key_of(context),
    )
    if thanks:
        await respond(replace_original=True, text=svc.catalog.t(thanks))


def register(app: Routes) -> None:
    for action_id in ANSWER:
        app.action(action_id)(handle_checkin_button)
