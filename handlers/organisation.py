"""Users of other organisations are refused on every surface, before any other listener.

Registered first, these listeners match only requests from a person outside the organisation
(bot/cases/organisation.py); Bolt then runs no other listener for that request. Where Slack
says who the person belongs to:
- slash command: `team_id`, `enterprise_id` (the invoking user's side);
- interactions: `user.team_id`, else `team.id` (null on org-wide installs), and
  `enterprise.id` / `team.enterprise_id`;
- events: only in a channel or DM shared with another organisation (`is_ext_shared_channel`)
  can the author be outside; `event.user_team` (or `event.team`) names their workspace, or
  their enterprise when it starts with "E" (as bolt's extract_actor_team_id reads it).
The installation is what auth.test said (Bolt's authorize_result). A person of another
workspace, when that can still be inside (Grid, allowed group organisations), is looked up
with users.info (`enterprise_user.enterprise_id`): the payload's word is not taken for it.
"""

from __future__ import annotations

import logging
import re
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext, AsyncRespond
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases.organisation import (
    Actor,
    Organisation,
    belongs,
    enterprise_matters,
    refuse_outsider,
    same_workspace,
)
from bot.delivery.errors import error_code
from bot.services import Services
from handlers.envelope import as_dict
from handlers.ids import COMMAND, Callback
from handlers.message_events import written_by_a_person
from handlers.routes import Routes
from handlers.text import modal, section

log = logging.getLogger("kasuhara.handlers")
ANY = re.compile(".*")


def _str(value: Any) -> str | None:
    return value if isinstance(value, str) and value else None


def _split(team: str | None) -> tuple[str | None, str | None]:
    """event.user_team holds an enterprise id for people of a connected Grid organisation."""
    return (None, team) if team and team.startswith("E") else (team, None)


def _event_actor(body: dict[str, Any]) -> Actor | None:
    event = as_dict(body.get("event"))
    user = _str(event.get("user"))
    if user is None or body.get("is_ext_shared_channel") is not True:
        return None  # a conversation of the organisation's own: its people are inside
    team, enterprise = _split(_str(event.get("user_team")) or _str(event.get("team")))
    return Actor(user, team, enterprise)


def actor_of(body: dict[str, Any]) -> Actor | None:
    """Who is acting and where they come from; None when the request is no person's act."""
    if body.get("type") == "event_callback":
        return _event_actor(body)
    if isinstance(body.get("command"), str):
        user = _str(body.get("user_id"))
        team = _str(body.get("team_id"))
        return Actor(user, team, _str(body.get("enterprise_id"))) if user else None
    user_obj, team_obj = as_dict(body.get("user")), as_dict(body.get("team"))
    user = _str(user_obj.get("id"))
    if user is None:
        return None
    team = _str(user_obj.get("team_id")) or _str(team_obj.get("id"))
    enterprise = _str(as_dict(body.get("enterprise")).get("id"))
    return Actor(user, team, enterprise or _str(team_obj.get("enterprise_id")))


def _home(context: AsyncBoltContext) -> Organisation:
    """Never the request's own team: that is the acting person's side, not the installation."""
    auth = context.authorize_result
    if auth is None:  # Bolt authorizes every request that reaches a listener
        log.warning("no authorization result: the installation is unknown")
        return Organisation(None, None)
    return Organisation(auth.team_id, auth.enterprise_id)


async def _with_enterprise(svc: Services, actor: Actor) -> Actor:
    """A person of another workspace: users.info says which Grid organisation they belong to
    (events name only a workspace, and a payload's `enterprise` may describe where they act
    rather than where they belong). When Slack cannot say, they count as outside."""
    try:
        enterprise = await svc.gateway.user_enterprise(actor.user_id)
    except SlackApiError as exc:
        log.warning("users.info for another workspace failed: %s", error_code(exc.response))
        enterprise = None
    return Actor(actor.user_id, actor.team_id, enterprise)


async def from_outside(body: dict[str, Any], context: AsyncBoltContext) -> bool:
    """Listener matcher: true for a person of another organisation (kept in the context)."""
    actor = actor_of(body)
    if actor is None:
        return False
    svc: Services = context["svc"]
    home, allowed = _home(context), svc.settings.allowed_teams
    if same_workspace(actor, home, allowed):
        return False
    if enterprise_matters(home, allowed):
        actor = await _with_enterprise(svc, actor)
    if belongs(actor, home, allowed):
        return False
    context["outsider"] = actor
    return True


def refusal_view(svc: Services) -> dict[str, Any]:
    cat = svc.catalog
    return modal(
        cat.t("organisation.title"),
        [section(cat.t("organisation.refused"))],
        close=cat.t("organisation.close"),
    )


async def handle_outsider_command(ack: AsyncAck, context: AsyncBoltContext) -> None:
    svc: Services = context["svc"]
    await ack(response_type="ephemeral", text=svc.catalog.t("organisation.refused"))
    await refuse_outsider(svc, context["outsider"], "command")


async def handle_outsider_interaction(
    ack: AsyncAck,
    body: dict[str, Any],
    client: AsyncWebClient,
    respond: AsyncRespond,
    context: AsyncBoltContext,
) -> None:
    """Shortcuts and buttons: told where they clicked (response_url) or in a small modal."""
    svc: Services = context["svc"]
    await ack()
    await refuse_outsider(svc, context["outsider"], str(body.get("type")))
    if body.get("response_url"):
        text = svc.catalog.t("organisation.refused")
        await respond(response_type="ephemeral", replace_original=False, text=text)
    elif body.get("trigger_id"):
        await client.views_open(trigger_id=body["trigger_id"], view=refusal_view(svc))


async def handle_outsider_submission(ack: AsyncAck, context: AsyncBoltContext) -> None:
    """The modal turns into the refusal; what was typed is not kept."""
    svc: Services = context["svc"]
    await ack(response_action="update", view=refusal_view(svc))
    await refuse_outsider(svc, context["outsider"], "view_submission")


async def handle_outsider_event(event: dict[str, Any], context: AsyncBoltContext) -> None:
    """A DM is answered in the DM; a mention with a message only the person sees."""
    svc: Services = context["svc"]
    if event.get("type") == "message" and not (
        written_by_a_person(event, context.bot_user_id) and event.get("channel_type") == "im"
    ):
        return  # no person asking anything of the app
    actor: Actor = context["outsider"]
    await refuse_outsider(svc, actor, str(event.get("type")))
    message = {"text": svc.catalog.t("organisation.refused")}
    try:
        if event.get("channel_type") == "im":
            thread = event.get("thread_ts")
            await svc.gateway.post(str(event["channel"]), message, thread_ts=thread)
        else:
            await svc.gateway.ephemeral(str(event["channel"]), actor.user_id, message)
    except SlackApiError as exc:  # the refusal is audited; the notice is a courtesy
        log.warning("refusal not shown: %s", error_code(exc.response))


def register(app: Routes) -> None:
    """Before every other listener (handlers.register_all), so an outsider reaches none."""
    outside = [from_outside]
    app.command(COMMAND, outside)(handle_outsider_command)
    for callback in (Callback.SHORTCUT_REPORT, Callback.SHORTCUT_MESSAGE):
        app.shortcut(callback, outside)(handle_outsider_interaction)
    app.action(ANY, outside)(handle_outsider_interaction)
    app.view(ANY, outside)(handle_outsider_submission)
    for event in ("message", "app_mention"):
        app.event(event, outside)(handle_outsider_event)
