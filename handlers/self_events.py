"""Bolt drops events "from the bot itself" before any listener. It takes the actor of a
`message_deleted` event from the deleted message (`previous_message.user`), so a person
deleting the app's alert looks like the app acting, and the deletion never arrives. The app
deletes none of its messages, so a deletion is always somebody else's act: let it through
(handlers/message_events.py posts a deleted alert again). Everything else is filtered as
Bolt does."""

from __future__ import annotations

from typing import Any

from slack_bolt.authorization import AuthorizeResult
from slack_bolt.middleware.ignoring_self_events.async_ignoring_self_events import (
    AsyncIgnoringSelfEvents,
)

from handlers.routes import Routes


class SelfEventsButDeletions(AsyncIgnoringSelfEvents):
    @classmethod
    def _is_self_event(
        cls,
        auth_result: AuthorizeResult,
        user_id: str | None,
        bot_id: str | None,
        body: dict[str, Any],
    ) -> bool:
        event = body.get("event")
        if isinstance(event, dict) and event.get("subtype") == "message_deleted":
            return False
        return bool(super()._is_self_event(auth_result, user_id, bot_id, body))


def register(app: Routes) -> None:
    app.replace_middleware(AsyncIgnoringSelfEvents, SelfEventsButDeletions())
