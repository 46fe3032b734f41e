"""Message events, decided by what the message is: a person's DM to the bot is a question; a
person's reply in an alert's thread (also 「チャンネルにも投稿する」 or with a photo) counts as
acknowledging it. Bolt runs only the first matching listener, hence one router.

Slack's message subtypes (https://api.slack.com/events/message#subtypes): a person posting
arrives with no subtype, or `thread_broadcast` (a reply also sent to the channel),
`file_share` (with files) or `me_message` (/me). Everything else is not a person writing to
us: bots and apps (`bot_id`, `bot_message`, the app's own posts), edits (`message_changed`),
joins and other channel notices; those are left alone. A deletion (`message_deleted`, or
`message_changed` to a tombstone for a parent with replies) in the supervisors' channel is
looked at: when it was an alert, the alert is posted again.
"""

from __future__ import annotations

import logging
from typing import Any

from slack_bolt.async_app import AsyncBoltContext

from bot.cases.lifecycle import acknowledge_by_reply, alert_deleted
from bot.services import Services
from handlers.dedupe import key_of
from handlers.questions import answer_direct_message
from handlers.routes import Routes

log = logging.getLogger("kasuhara.handlers")

PERSON_SUBTYPES = frozenset({None, "thread_broadcast", "file_share", "me_message"})


def written_by_a_person(event: dict[str, Any], bot_user: str | None) -> bool:
    """A message a person wrote just now: not a bot or app, not the app itself, not an edit,
    a deletion or a channel notice."""
    if event.get("bot_id") or event.get("bot_profile") or event.get("app_id"):
        return False
    user = event.get("user")
    if not isinstance(user, str) or not user or user == bot_user:
        return False
    return event.get("subtype") in PERSON_SUBTYPES


def thread_reply(event: dict[str, Any]) -> str | None:
    """The thread a reply belongs to; None for a top-level message (its thread_ts is its own)."""
    thread = event.get("thread_ts")
    if isinstance(thread, str) and thread and thread != event.get("ts"):
        return thread
    return None


async def handle_message(event: dict[str, Any], context: AsyncBoltContext) -> None:
    svc: Services = context["svc"]
    deleted = deleted_ts(event)
    if deleted is not None:
        if event.get("channel") == svc.settings.supervisor_channel:
            await alert_deleted(
                svc, channel=str(event["channel"]), ts=deleted, once=key_of(context)
            )
        return
    if not written_by_a_person(event, context.bot_user_id):
        log.debug("message event left alone subtype=%s", event.get("subtype"))
        return
    if event.get("channel_type") == "im":
        await answer_direct_message(svc, event, context.bot_user_id, key_of(context))
        return
    thread = thread_reply(event)
    if event.get("channel") == svc.settings.supervisor_channel and thread:
        user = str(event["user"])
        await acknowledge_by_reply(svc, thread_ts=thread, user=user, once=key_of(context))


def deleted_ts(event: dict[str, Any]) -> str | None:
    """The ts of a message a person deleted: `message_deleted`, or for a thread parent with
    replies, which Slack keeps as a tombstone, `message_changed` to subtype `tombstone`."""
    subtype = event.get("subtype")
    if subtype == "message_deleted":
        ts = event.get("deleted_ts")
    elif subtype == "message_changed":
        message = event.get("message")
        is_tombstone = isinstance(message, dict) and message.get("subtype") == "tombstone"
        ts = message.get("ts") if is_tombstone and isinstance(message, dict) else None
    else:
        return None
    return ts if isinstance(ts, str) and ts else None


def register(app: Routes) -> None:
    app.event("message")(handle_message)
