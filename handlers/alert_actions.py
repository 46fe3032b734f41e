"""Supervisors' buttons on an alert, and the small modal that records the outcome."""

from __future__ import annotations

import json
import logging
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases import actions
from bot.cases.domain import OUTCOME_MAX
from bot.cases.lifecycle import ActionResult, audit_view, perform, refuse
from bot.record.produce import RecordNotSent, RecordUnconfirmed, send_record
from bot.services import Services
from handlers.dedupe import key_of
from handlers.envelope import as_dict
from handlers.home import after_case_click, from_home
from handlers.ids import Action, Block, Callback, case_action_id, row_id
from handlers.report_modal import tell_not_opened
from handlers.routes import Routes
from handlers.slack_limits import PLACEHOLDER_MAX
from handlers.text import clean, modal, plain, section

log = logging.getLogger("kasuhara.handlers")


def _case_id(body: dict[str, Any]) -> int | None:
    actions = body.get("actions") or [{}]
    return row_id(actions[0].get("value"))


async def _notify(svc: Services, respond: AsyncRespond, result: ActionResult) -> None:
    """Through the response_url: it reaches the clicker even when they are not in the channel."""
    if result.notice_key:
        text = svc.catalog.t(result.notice_key, **result.notice_values)
        await respond(response_type="ephemeral", replace_original=False, text=text)


async def handle_case_button(
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """A supervisor's button, on an alert or in a Home (the same rules and audit either way)."""
    await ack()
    svc: Services = context["svc"]
    action_id = str(body["actions"][0]["action_id"])
    action = action_id.removeprefix(case_action_id(""))
    case_id = _case_id(body)
    if case_id is None:
        return
    actor, once = body["user"]["id"], key_of(context)
    result = await perform(svc, case_id=case_id, actor=actor, action=action, once=once)
    if from_home(body):
        await after_case_click(svc, client, body, result)
    else:
        await _notify(svc, respond, result)


async def handle_record_button(
    ack: AsyncAck, body: dict[str, Any], respond: AsyncRespond, context: AsyncBoltContext
) -> None:
    """The case record (PDF) to the supervisor who asked, by DM; membership is checked at
    the click, as for every alert button."""
    await ack()
    svc: Services = context["svc"]
    actor = str(as_dict(body.get("user")).get("id", ""))
    case_id = _case_id(body)
    if case_id is None:
        return
    if not await svc.is_member(svc.settings.supervisor_channel, actor):
        await _notify(
            svc, respond, await refuse(svc, case_id=case_id, actor=actor, action="record")
        )
        return
    try:
        produced = await send_record(svc, case_id=case_id, actor=actor)
    except RecordNotSent as exc:
        # Slack refused the upload (audited), or the case could not be read: nothing was
        # sent, and the supervisor waiting for the DM is told so.
        log.warning("record case_id=%s not sent: %s", case_id, exc.reason)
        unsure = isinstance(exc, RecordUnconfirmed)
        await _notify(
            svc, respond, ActionResult(False, "record.unconfirmed" if unsure else "record.failed")
        )
        return
    if produced is None:
        await _notify(svc, respond, ActionResult(False, "actions.case_missing"))
        return
    values = {"case_number": produced.case_number, "pages": str(produced.pages)}
    await _notify(svc, respond, ActionResult(False, "record.sent", values))


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
            "placeholder": plain(cat.t("resolve_modal.outcome_placeholder"), PLACEHOLDER_MAX),
        },
    }
    return modal(
        cat.t("resolve_modal.title"),
        [section(cat.t("resolve_modal.summary", case_number=case_number)), outcome],
        close=cat.t("resolve_modal.close"),
        submit=cat.t("resolve_modal.submit"),
        callback_id=Callback.RESOLVE,
        private_metadata=json.dumps({"case_id": case_id}),
    )


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
        refused = await _refuse_resolve(svc, case_id, actor, context)
        await _notify(svc, respond, refused)
        return
    case = await audit_view(svc, case_id=case_id, actor=actor, where="resolve_modal")
    if case is None or case.status == "resolved":
        return
    try:
        await client.views_open(
            trigger_id=body["trigger_id"], view=build_resolve_modal(svc, case_id, case.case_number)
        )
    except Exception as exc:
        await tell_not_opened(svc, exc, actor, respond)


async def _refuse_resolve(
    svc: Services, case_id: int, actor: str, context: AsyncBoltContext
) -> ActionResult:
    """Someone outside the supervisors' channel tried to resolve: refused and audited."""
    return await refuse(
        svc, case_id=case_id, actor=actor, action=actions.RESOLVE.name, once=key_of(context)
    )


async def handle_resolve_submission(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
) -> None:
    svc: Services = context["svc"]
    outcome = _outcome(view)
    if len(outcome) > OUTCOME_MAX:
        text = svc.catalog.t("resolve_modal.outcome_too_long", limit=OUTCOME_MAX)
        await ack(response_action="errors", errors={Block.OUTCOME: text})
        return
    case_id = _metadata_case_id(view)
    actor = str(as_dict(body.get("user")).get("id", ""))
    if case_id is None:
        await ack()
        return
    if not await svc.is_member(svc.settings.supervisor_channel, actor):
        # A view submission has no response_url: the refusal is shown in the modal itself.
        refused = await _refuse_resolve(svc, case_id, actor, context)
        text = svc.catalog.t(refused.notice_key or "actions.forbidden")
        await ack(response_action="errors", errors={Block.OUTCOME: text})
        return
    await ack()
    await perform(
        svc,
        case_id=case_id,
        actor=actor,
        action=actions.RESOLVE.name,
        outcome=outcome or None,
        once=key_of(context),
    )


def _outcome(view: dict[str, Any]) -> str:
    values = as_dict(as_dict(view.get("state")).get("values"))
    raw = as_dict(as_dict(values.get(Block.OUTCOME)).get(Action.OUTCOME)).get("value")
    return clean(raw) if isinstance(raw, str) else ""


def _metadata_case_id(view: dict[str, Any]) -> int | None:
    try:
        meta = json.loads(view.get("private_metadata") or "{}")
    except (TypeError, ValueError):
        return None
    return row_id(meta.get("case_id")) if isinstance(meta, dict) else None


Listener = Callable[..., Awaitable[None]]


@dataclass(frozen=True)
class AlertButton:
    """A button on the alert, in the order declared. `action` names a case action
    (bot/cases/actions.py); its label is `alert.btn_<action>`; with `confirm`, Slack asks first
    with `alert.confirm_<action>_title` / `_text`. A click goes to `listener`."""

    action: actions.CaseAction
    listener: Listener = handle_case_button
    style: str | None = None
    confirm: bool = False

    @property
    def action_id(self) -> str:
        return case_action_id(self.action.name)


ALERT_BUTTONS = (
    AlertButton(actions.ACK, style="primary"),
    AlertButton(actions.TAKE),
    AlertButton(actions.ESCALATE, style="danger", confirm=True),
    AlertButton(actions.RESOLVE, listener=handle_resolve_button),
    AlertButton(actions.SNOOZE),
)


def register(app: Routes) -> None:
    for alert_button in ALERT_BUTTONS:
        app.action(alert_button.action_id)(alert_button.listener)
    app.view(Callback.RESOLVE)(handle_resolve_submission)
    app.action(Action.RECORD)(handle_record_button)
