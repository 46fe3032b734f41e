"""The one place that sorts what Slack (or the network) said into what to do about it.

Every failed Web API call ends in one of four outcomes:

- ``RETRY``: try the same message again later (rate limits, 5xx with any body, network errors,
  timeouts). Slack's ``Retry-After`` header, when given, says how much later.
- ``HOLD``: something outside the message must change first (the channel, the token, a user).
  The message waits, is re-checked on a schedule, and goes out once the cause is gone.
- ``FIX``: the message itself is refused (blocks, length). It is re-rendered in a safe minimal
  form and sent again; never dropped.
- ``GONE``: the message to edit no longer exists (``message_not_found`` on ``chat.update``);
  editing it again cannot work, so the caller posts it anew.

Sources: https://api.slack.com/methods/chat.postMessage#errors,
https://api.slack.com/methods/chat.update#errors, https://api.slack.com/docs/rate-limits and
/work/shared/slack-specs.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

import aiohttp
from slack_sdk.errors import SlackApiError, SlackClientError


class Action(StrEnum):
    RETRY = "retry"
    HOLD = "hold"
    FIX = "fix"
    GONE = "gone"


# The conversation cannot take our messages until someone fixes it in Slack.
CHANNEL_HOLDS = frozenset(
    {
        "channel_not_found",
        "not_in_channel",
        "is_archived",
        "channel_is_archived",
        "restricted_action",
        "restricted_action_read_only_channel",
        "restricted_action_thread_only_channel",
        "restricted_action_non_threadable_channel",
        "ekm_access_denied",
        "cannot_reply_to_message",
        "is_inactive",
        "posting_to_channel_denied",
        "restricted_action_thread_locked",
        "user_not_in_channel",
        # Our own verdicts (bot/delivery/slack_io.py ChannelVerdict.reason) use these names.
        "not_private",
        "ext_shared",
        "not_member",
        "not_set",
        "not_found",
        "archived",
        "pending_shared",
    }
)
# The token or the app is refused: rotated, revoked, uninstalled, or a setting of the app;
# fixed in the app's settings or with another token.
TOKEN_HOLDS = frozenset(
    {
        "invalid_auth",
        "not_authed",
        "account_inactive",
        "token_revoked",
        "token_expired",
        "no_permission",
        "missing_scope",
        "not_allowed_token_type",
        "team_access_not_granted",
        "org_login_required",
        "app_missing_action_url",
        "app_access_restricted",
        "team_not_found",
        # The app's Messages tab is switched off in its settings: no DM can go until an
        # admin turns it on (https://api.slack.com/methods/chat.postMessage#errors).
        "messages_tab_disabled",
    }
)
# The person cannot receive a DM (deactivated, or an id that names nobody).
USER_HOLDS = frozenset(
    {"user_disabled", "user_not_found", "user_not_visible", "cannot_dm_bot", "users_not_found"}
)
FIXES = frozenset(
    {
        "invalid_blocks",
        "invalid_blocks_format",
        "msg_too_long",
        "msg_blocks_too_long",
        "no_text",
        "too_many_attachments",
        "invalid_attachments",
        "invalid_metadata_format",
        "invalid_metadata_schema",
        "metadata_too_large",
        "metadata_must_be_sent_from_app",
        "markdown_text_conflict",
        "invalid_arguments",
        "as_user_not_supported",
    }
)
GONE = frozenset({"message_not_found", "cant_update_message", "edit_window_closed"})
# Slack asks for these to be retried, even though they come with HTTP 200.
RETRIES = frozenset(
    {
        "ratelimited",
        "rate_limited",
        "internal_error",
        "fatal_error",
        "service_unavailable",
        "request_timeout",
    }
)


@dataclass(frozen=True)
class Verdict:
    """What to do about one failed call: `code` is Slack's error (or the exception's name),
    `retry_after` Slack's Retry-After in seconds when it gave one, `status` the HTTP status."""

    action: Action
    code: str
    status: int | None = None
    retry_after: float | None = None

    @property
    def cause(self) -> str:
        """The family of a hold, for people and /healthz: channel, token or user."""
        if self.code in TOKEN_HOLDS:
            return "token"
        if self.code in USER_HOLDS:
            return "user"
        return "channel"


# Every exception `classify` sorts: what a Slack call or the network can raise. For `except`
# clauses that must catch exactly these (aiohttp's dropped connections are not OSError).
FAILURES: tuple[type[BaseException], ...] = (
    SlackClientError,
    aiohttp.ClientError,
    OSError,
    TimeoutError,
    asyncio.TimeoutError,
)


def classify(exc: BaseException) -> Verdict | None:
    """Sort an exception from a Slack call; None when it is not a Slack or network failure
    (a bug, which callers must still contain)."""
    if isinstance(exc, SlackApiError):
        return classify_response(exc.response)
    if isinstance(exc, TimeoutError | asyncio.TimeoutError | aiohttp.ClientError | OSError):
        return Verdict(Action.RETRY, type(exc).__name__)
    if isinstance(exc, SlackClientError):  # e.g. the connection dropped inside slack_sdk
        return Verdict(Action.RETRY, type(exc).__name__)
    return None


def classify_response(response: Any) -> Verdict:
    """A failed answer: slack_sdk's response, or aiohttp's own when the body was unreadable.
    Bodies may be JSON, text/plain (a proxy's 500) or nothing at all."""
    status = _status(response)
    code = error_code(response)
    retry_after = _retry_after(response)
    if status == 429 or code in RETRIES or (status is not None and status >= 500):
        return Verdict(Action.RETRY, code or f"http_{status}", status, retry_after)
    if code in CHANNEL_HOLDS or code in TOKEN_HOLDS or code in USER_HOLDS:
        return Verdict(Action.HOLD, code, status)
    if code in FIXES:
        return Verdict(Action.FIX, code, status)
    if code in GONE:
        return Verdict(Action.GONE, code, status)
    # An answer we do not know: not a reason to lose the message, nor to hammer Slack.
    return Verdict(Action.RETRY, code or f"http_{status}", status, retry_after)


def error_code(response: Any) -> str:
    """Slack's `error` field, or "" when the body is not a JSON object."""
    data = getattr(response, "data", None)
    if isinstance(data, dict):
        return str(data.get("error") or "")
    return ""


def _status(response: Any) -> int | None:
    for name in ("status_code", "status"):  # slack_sdk's response, aiohttp's response
        value = getattr(response, name, None)
        if isinstance(value, int):
            return value
    return None


def _retry_after(response: Any) -> float | None:
    headers = getattr(response, "headers", None) or {}
    try:
        for key, value in headers.items():
            if str(key).lower() == "retry-after":
                raw = value[0] if isinstance(value, list) else value
                return max(0.0, float(raw))
    except (AttributeError, TypeError, ValueError):
        return None
    return None
