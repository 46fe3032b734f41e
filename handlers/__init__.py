"""The Slack edge: one module per surface, each with `register(app)`."""

from __future__ import annotations

from slack_bolt.async_app import AsyncApp

from handlers import (
    alert_actions,
    checkin,
    commands,
    dedupe,
    home,
    hr,
    message_events,
    message_shortcut,
    organisation,
    prompt_ack,
    questions,
    report_modal,
    self_events,
)
from handlers.prompt_ack import finish_listeners
from handlers.routes import Routes

__all__ = ["finish_listeners", "register_all"]


def register_all(app: AsyncApp) -> None:
    """Every surface's listeners, each behind the after-ack guard (handlers/routes.py); the
    runner that answers Slack at the ack (handlers/prompt_ack.py)."""
    routes = Routes(app)
    self_events.register(routes)
    prompt_ack.register(routes)
    dedupe.register(routes)
    organisation.register(routes)  # first: an outsider reaches no other listener
    surfaces = (
        commands,
        report_modal,
        message_shortcut,
        alert_actions,
        checkin,
        questions,
        message_events,
        home,
        hr,
    )
    for module in surfaces:
        module.register(routes)
