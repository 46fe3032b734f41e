"""Supervisors' buttons on an alert, and the small modal that records the outcome."""

from __future__ import annotations

import json
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncApp, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases import ActionResult, audit_view, perform, refuse
from bot.domain import OUTCOME_MAX, CaseAction
from bot.services import Services
from handlers.ids import Action, Block, Callback
from handlers.text import MODAL_TITLE_MAX, plain, section

BUTTONS = {
    Action.ACK: CaseAction.ACK,
    Action.TAKE: CaseAction.TAKE,
    Action.ESCALATE: CaseAction.ESCALATE,
    Action.SNOOZE: CaseAction.SNOOZE,
}


def _case_id(body: dict[str, Any]) -> int | None:
    actions = body.get("actions") or [{}]
    value = str(actions[0].get("value", ""))
    return int(value) if value.isdigit() else None


async def _notify(svc: Services, respond: AsyncRespond, result: ActionResult) -> None:
    """Through the response_url: it reaches the clicker even when they are not in the channel."""
    if result.notice_key:
        text = svc.catalog.t(result.notice_key, **result.notice_values)
        await respond(response_type="ephemeral", replace_original=False, text=text)


async def handle_case_button(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    await ack()
    svc: Services = context["svc"]
    action = BUTTONS[Action(body["actions"][0]["action_id"])]
    case_id = _case_id(body)
    if case_id is None:
        return
    result = await perform(svc, case_id=case_id, actor=body["user"]["id"], action=action)
    await _notify(svc, respond, result)


def build_resolve_modal(svc: Services, case_id: int, case_number: str) -> dict[str, Any]:
    cat = svc.catalog
    outcome = {
        "type": "input",
        "block_id": Block.OUTCOME,
        "label": plain(cat.t("resolve_modal.outcome_label")),
        "optional": True,
        "element": {
            "type": "plain_text_input",
            "action_id": Action.OUTCOME,
            "multiline": True,
            "max_length": OUTCOME_MAX,
            "placeholder": plain(cat.t("resolve_modal.outcome_placeholder"), 150),
        },
    }
    return {
        "type": "modal",
        "callback_id": Callback.RESOLVE,
        "title": plain(cat.t("resolve_modal.title"), MODAL_TITLE_MAX),
        "submit": plain(cat.t("resolve_modal.submit"), MODAL_TITLE_MAX),
        "close": plain(cat.t("resolve_modal.close"), MODAL_TITLE_MAX),
        "private_metadata": json.dumps({"case_id": case_id}),
        "blocks": [section(cat.t("resolve_modal.summary", case_number=case_number)), outcome],
    }


async def handle_resolve_button(
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    await ack()
    svc: Services = context["svc"]
    actor = body["user"]["id"]
    case_id = _case_id(body)
    if case_id is None:
        return
    if not await svc.is_member(svc.settings.supervisor_channel, actor):
        await _notify(
            svc, respond, await refuse(svc, case_id=case_id, actor=actor, action="resolve")
        )
        return
    case = await audit_view(svc, case_id=case_id, actor=actor, where="resolve_modal")
    if case is None or case.status == "resolved":
        return
    await client.views_open(
        trigger_id=body["trigger_id"], view=build_resolve_modal(svc, case_id, case.case_number)
    )


async def handle_resolve_submission(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
) -> None:
    svc: Services = context["svc"]
    values = (view.get("state") or {}).get("values") or {}
    outcome = str(((values.get(Block.OUTCOME) or {}).get(Action.OUTCOME) or {}).get("value") or "")
    if len(outcome) > OUTCOME_MAX:
        text = svc.catalog.t("resolve_modal.outcome_too_long", limit=OUTCOME_MAX)
        await ack(response_action="errors", errors={Block.OUTCOME: text})
        return
    try:
        case_id = int(json.loads(view.get("private_metadata") or "{}").get("case_id"))
    except (TypeError, ValueError, AttributeError):
        await ack()
        return
    await ack()
    result = await perform(
        svc,
        case_id=case_id,
        actor=body["user"]["id"],
        action=CaseAction.RESOLVE,
        outcome=outcome or None,
    )
    await _notify(svc, body, result)


def register(app: AsyncApp) -> None:
    for action_id in BUTTONS:
        app.action(action_id)(handle_case_button)
    app.action(Action.RESOLVE)(handle_resolve_button)
    app.view(Callback.RESOLVE)(handle_resolve_submission)
