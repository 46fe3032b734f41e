"""The shape of a Slack request body, checked before Bolt sees it.

Bolt's own code (authorization, logging of unhandled requests, listener arguments) reads
`event`, `view`, `user`, `actions` and friends without checking their types, and answers 500
when a body has, say, `"event": null`. Slack never sends such bodies; a request that does is
refused with 400 before dispatch.
"""

from __future__ import annotations

from typing import Any

# Objects when present (null allowed where Slack itself sends null).
OBJECTS = ("user", "team", "channel", "container", "message", "enterprise", "state")
# Objects whenever present: Bolt looks inside them unconditionally.
REQUIRED_OBJECTS = ("event", "view")
STRINGS = ("type", "callback_id", "trigger_id", "command", "text", "user_id", "event_id")


def _bad_list_of_objects(value: Any) -> bool:
    return not (isinstance(value, list) and all(isinstance(v, dict) for v in value))


def _inner_strings_bad(body: dict[str, Any]) -> str | None:
    for outer in ("event", "view", "user", "team", "channel"):
        inner = body.get(outer)
        if isinstance(inner, dict):
            for key in ("type", "id", "callback_id", "user", "channel"):
                if key in inner and not isinstance(inner[key], str | None):
                    return f"{outer}.{key}"
    return None


def malformed(body: Any) -> str | None:
    """The first field Bolt could not handle, or None when the body may be dispatched."""
    if not isinstance(body, dict):
        return "body"
    for key in STRINGS:
        if key in body and not isinstance(body[key], str | None):
            return key
    for key in OBJECTS:
        if key in body and not isinstance(body[key], dict | None):
            return key
    for key in REQUIRED_OBJECTS:
        if key in body and not isinstance(body[key], dict):
            return key
    if "actions" in body and _bad_list_of_objects(body["actions"]):
        return "actions"
    return _inner_strings_bad(body)


def as_dict(value: object) -> dict[str, Any]:
    """A signed request can still carry any JSON where an object belongs."""
    return value if isinstance(value, dict) else {}
