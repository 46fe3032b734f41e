"""What Slack does with the app's acknowledgements, and what its client refuses to submit."""

from __future__ import annotations

from typing import Any, Protocol

from slack_standin import payloads
from slack_standin.api_chat import bot_message, check_content
from slack_standin.api_views import close_view, push_view, replace_view, validate_view
from slack_standin.state import ApiError, State
from slack_standin.transport import DriverResponse

Json = dict[str, Any]
EMPTY: tuple[object, ...] = (None, "", [], {})


class Observer(Protocol):
    """What an ack changes (the workspace) and where a refusal is noted (the driver's
    problems); the driver is one, without this module depending on it."""

    state: State
    problems: list[str]


def _acked(driver: Observer, what: str, resp: DriverResponse) -> bool:
    """Slack ignores answers after its deadline and shows an error for non-200 ones."""
    if resp.late:
        driver.problems.append(f"{what}: acknowledged after 3 s ({resp.elapsed:.2f} s)")
        return False
    if resp.status != 200:
        driver.problems.append(f"{what}: HTTP {resp.status}")
        return False
    return True


def apply_slash_ack(driver: Observer, channel_id: str, user_id: str, resp: DriverResponse) -> None:
    """A slash command's ack body is shown: ephemeral by default, in_channel if asked."""
    if not _acked(driver, "slash command", resp) or not resp.body:
        return
    state = driver.state
    body = resp.json if resp.json is not None else {"text": resp.body}
    try:
        check_content(body)
    except ApiError as exc:
        driver.problems.append(f"slash command ack: {exc.error} {exc.extra}")
        return
    if body.get("response_type") == "in_channel":
        state.add_message(channel_id, bot_message(state, body, state.new_ts()))
        return
    state.ephemerals.append(
        {
            "channel": channel_id,
            "user": user_id,
            "text": body.get("text") or "",
            "blocks": body.get("blocks"),
            "message_ts": state.new_ts(),
            "thread_ts": None,
        }
    )


def apply_view_ack(driver: Observer, view_id: str, resp: DriverResponse) -> None:
    """response_action: none closes the view; update/push/clear/errors as Slack does."""
    if not _acked(driver, "view_submission", resp):
        return
    state, body = driver.state, resp.json or {}
    action = body.get("response_action")
    try:
        if action is None:
            close_view(state, view_id)
        elif action == "clear":
            close_view(state, view_id, clear=True)
        elif action in ("update", "push"):
            validate_view(body.get("view"), ("modal",))
            apply = replace_view if action == "update" else push_view
            apply(state, view_id, body["view"])
        elif action == "errors":
            _check_errors(driver, view_id, body.get("errors"))
        else:
            driver.problems.append(f"view_submission: unknown response_action {action!r}")
    except ApiError as exc:
        driver.problems.append(f"view_submission response_action={action}: {exc.error} {exc.extra}")


def _check_errors(driver: Observer, view_id: str, errors: Any) -> None:
    view = driver.state.views[view_id]
    inputs = {b.get("block_id") for b in view["blocks"] if b.get("type") == "input"}
    if not isinstance(errors, dict) or not errors:
        driver.problems.append("view_submission errors: must be a non-empty object")
        return
    for block_id in errors:
        if block_id not in inputs:
            driver.problems.append(f"view_submission errors: {block_id!r} is not an input block")


def submission_state(view: Json, given: dict[str, dict[str, Json]]) -> dict[str, dict[str, Json]]:
    """Every input's value (given, else as last shown); raises where Slack would not submit."""
    current = view.get("state", {}).get("values", {})
    inputs = [b for b in view["blocks"] if b.get("type") == "input" and "element" in b]
    known = {(b["block_id"], b["element"].get("action_id")) for b in inputs}
    known |= {(bid, el["action_id"]) for bid, el in payloads.iter_elements(view["blocks"])}
    for block_id, by_action in given.items():
        for action_id in by_action:
            if (block_id, action_id) not in known:
                raise ValueError(f"no element {block_id}/{action_id} in view {view['id']}")
    values: dict[str, dict[str, Json]] = {}
    for block in inputs:
        el, bid = block["element"], block["block_id"]
        aid = el["action_id"]
        value = given.get(bid, {}).get(aid) or current.get(bid, {}).get(aid)
        value = value or payloads.state_value(el)
        _client_checks(block, value)
        values[bid] = {aid: value}
    for bid, by_action in given.items():  # dispatch_action elements outside input blocks
        values.setdefault(bid, {}).update(by_action)
    return values


def _client_checks(block: Json, value: Json) -> None:
    el = block["element"]
    chosen = [v for k, v in value.items() if k != "type"]
    if not block.get("optional") and all(v in EMPTY for v in chosen):
        raise ValueError(f"input {block['block_id']!r} is required; Slack would not submit")
    text = value.get("value")
    if el.get("type") != "plain_text_input" or not isinstance(text, str) or not text:
        return
    if len(text) > el.get("max_length", 3000) or len(text) < el.get("min_length", 0):
        raise ValueError(f"input {block['block_id']!r}: length outside min/max_length")
