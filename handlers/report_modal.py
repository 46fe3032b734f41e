"""Opening the report modal (command, shortcuts) and taking its submission."""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases.domain import CUSTOMER_MAX, DESCRIPTION_MAX, validate_report
from bot.cases.intake import ReportNotSaved, submit_report
from bot.clock import within
from bot.delivery.errors import classify
from bot.privacy.customer_key import KEY_INPUT_MAX, KEY_MIN
from bot.services import Services
from handlers.envelope import as_dict
from handlers.ids import FIELD_BLOCKS, Block, Callback
from handlers.report_view import SourceLink, build_report_modal, parse_report
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")


def behaviour_options(svc: Services) -> list[tuple[int, str]]:
    return [(p.behaviour, p.text) for p in svc.policy.behaviours() if p.behaviour]


async def open_report_modal(
    client: AsyncWebClient,
    svc: Services,
    trigger_id: str,
    description: str = "",
    source: SourceLink | None = None,
) -> dict[str, Any]:
    """Open the report modal; returns the view Slack made (its `id` and `hash` for an update).
    Raises SlackApiError (e.g. `expired_trigger_id` when called 3 s after the click)."""
    view = build_report_modal(
        svc.catalog, behaviour_options(svc), svc.clock.now(), description, source
    )
    resp = await client.views_open(trigger_id=trigger_id, view=view)
    return as_dict(resp.get("view"))


async def tell_not_opened(
    svc: Services, exc: Exception, user: str, respond: AsyncRespond | None = None
) -> None:
    """views.open failed (`exc`: the trigger expired while the app was slow, Slack refused or
    was away): the person who pressed is told, through the response_url when the surface has
    one (a command, a message's buttons), else by DM (a global shortcut, a Home button).
    Re-raises anything that is not a Slack or network failure."""
    verdict = classify(exc)
    if verdict is None:
        raise exc
    log.warning("views.open failed: %s", verdict.code)
    text = svc.catalog.t("modal.open_failed")
    try:
        if respond is not None:
            await respond(response_type="ephemeral", replace_original=False, text=text)
        else:
            await svc.gateway.post(await svc.gateway.open_dm(user), {"text": text})
    except Exception as failed:
        told = classify(failed)
        if told is None:
            raise
        log.warning("person not told that the form did not open: %s", told.code)


def reporter_team(body: dict[str, Any]) -> str:
    """The reporter's own workspace: `user.team_id`, else `team.id` (null on an org-wide
    Enterprise Grid installation), else `view.team_id`."""
    team, user, view = (as_dict(body.get(k)) for k in ("team", "user", "view"))
    for value in (user.get("team_id"), team.get("id"), view.get("team_id")):
        if isinstance(value, str) and value:
            return value
    return ""


async def handle_report_submission(
    ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext
) -> None:
    svc: Services = context["svc"]
    now = svc.clock.now()
    user, view = as_dict(body.get("user")), as_dict(body.get("view"))
    data = parse_report(view, str(user.get("id", "")), reporter_team(body), now)
    allowed = frozenset(n for n, _ in behaviour_options(svc))
    errors = validate_report(data, now, allowed)
    if errors:
        await ack(response_action="errors", errors=_messages(svc, errors, data.description))
        return
    view_id = view.get("id") if isinstance(view.get("id"), str) else None
    try:
        case = await within(_time_left(context), submit_report(svc, data, view_id=view_id))
    except (ReportNotSaved, TimeoutError) as exc:
        # Slack waits 3 s for the ack: the modal gets our own words, not Slack's timeout.
        # Saved or not, pressing 送信 again is safe: the same view is the same case.
        key = "errors.save_unconfirmed" if isinstance(exc, TimeoutError) else "errors.save_failed"
        await ack(response_action="errors", errors={Block.DESCRIPTION: svc.catalog.t(key)})
        return
    await ack()
    log.info("report acknowledged case=%s", case.case_number)


def _time_left(context: AsyncBoltContext) -> float:
    """Seconds until the ack is due (set on arrival in bot/app.py), never below a sliver."""
    deadline = context.get("ack_deadline")
    if not isinstance(deadline, float):
        return 2.0
    return max(0.2, deadline - asyncio.get_running_loop().time())


def _messages(svc: Services, errors: dict[str, str], description: str) -> dict[str, str]:
    limits = {"customer": CUSTOMER_MAX, "customer_key": KEY_INPUT_MAX}
    return {
        FIELD_BLOCKS[f]: svc.catalog.t(
            key, limit=limits.get(f, DESCRIPTION_MAX), length=len(description), minimum=KEY_MIN
        )
        for f, key in errors.items()
    }


async def handle_report_shortcut(
    ack: AsyncAck, shortcut: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    try:
        await open_report_modal(client, context["svc"], shortcut["trigger_id"])
    except Exception as exc:
        user = str(as_dict(shortcut.get("user")).get("id", ""))
        await tell_not_opened(context["svc"], exc, user)


def register(app: Routes) -> None:
    app.view(Callback.REPORT)(handle_report_submission)
    app.shortcut(Callback.SHORTCUT_REPORT)(handle_report_shortcut)
