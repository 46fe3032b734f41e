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
    questions,
    report_modal,
)


def register_all(app: AsyncApp) -> None:
    dedupe.register(app)
    surfaces = (commands, report_modal, alert_actions, checkin, questions, message_events, home, hr)
    for module in surfaces:
        module.register(app)
