"""SlackDriver: plays the humans and Slack's side — slash commands, clicks, submissions, events."""

from __future__ import annotations

import copy
from typing import TYPE_CHECKING, Any

from slack_standin import payloads
from slack_standin.api_views import close_view, public_view
from slack_standin.driver_effects import apply_slash_ack, apply_view_ack, submission_state
from slack_standin.transport import DriverResponse, Transport

if TYPE_CHECKING:
    from slack_standin.server import SlackStandin

Json = dict[str, Any]
MAX_EVENT_RETRIES = 3


class SlackDriver(Transport):
    def __init__(
        self,
        standin: SlackStandin,
        app_url: str = "http://127.0.0.1:3000/slack/events",
        signing_secret: str = "secret",
        socket_mode: bool = False,
        timeout: float = 10.0,
    ) -> None:
        super().__init__(standin, app_url, signing_secret, socket_mode, timeout)
        self.state = standin.state
        self.problems: list[str] = []  # app answers Slack would reject or show as errors

    # --- slash commands and shortcuts ------------------------------------------------------
    async def slash_command(
        self, user_id: str, command: str, text: str = "", channel_id: str | None = None
    ) -> DriverResponse:
        """channel_id None: typed in the user's DM with the bot."""
        if channel_id is None:
            channel_id = self.state.open_conversation([user_id])[0].id
        ws = self.state.workspace
        payload = {
            "token": ws.verification_token,
            "team_id": ws.team_of(user_id),
            "team_domain": ws.domain,
            "channel_id": channel_id,
            "channel_name": payloads.channel_name(self.state, channel_id),
            "user_id": user_id,
            "user_name": ws.user_name(user_id),
            "command": command,
            "text": text,
            "api_app_id": ws.app_id,
            "is_enterprise_install": "true" if ws.org_install else "false",
            "response_url": self.standin.new_response_url(channel_id, user_id),
            "trigger_id": self.standin.new_trigger_id(user_id),
        }
        enterprise = ws.enterprise_of(user_id)
        if enterprise:  # Grid only; absent otherwise
            payload |= {"enterprise_id": enterprise, "enterprise_name": ws.enterprise_name}
        resp = await self.deliver("slash_commands", payload)
        apply_slash_ack(self, channel_id, user_id, resp)
        return resp

    async def global_shortcut(self, user_id: str, callback_id: str) -> DriverResponse:
        payload = payloads.common(self.state, "shortcut", user_id)
        payload |= {"callback_id": callback_id, "trigger_id": self.standin.new_trigger_id(user_id)}
        payload["action_ts"] = f"{self.state.clock():.6f}"
        return await self.deliver("interactive", payload)

    async def message_shortcut(
        self, user_id: str, callback_id: str, channel_id: str, message_ts: str
    ) -> DriverResponse:
        message = self._message(channel_id, message_ts)
        payload = payloads.common(self.state, "message_action", user_id)
        del payload["api_app_id"], payload["user"]["username"]  # message_action lacks these
        payload |= {
            "callback_id": callback_id,
            "trigger_id": self.standin.new_trigger_id(user_id),
            "message_ts": message_ts,
            "action_ts": f"{self.state.clock():.6f}",
            "message": self.state.public_message(message),
            "channel": {"id": channel_id, "name": payloads.channel_name(self.state, channel_id)},
            "response_url": self.standin.new_response_url(channel_id, user_id, message_ts),
        }
        return await self.deliver("interactive", payload)

    def _message(self, channel_id: str, ts: str) -> Json:
        message = self.state.find_message(channel_id, ts)
        if message is None:
            raise ValueError(f"no message {ts} in {channel_id}")
        return message

    # --- block actions -----------------------------------------------------------------------
    async def block_action(
        self,
        user_id: str,
        channel_id: str,
        message_ts: str,
        action_id: str,
        value: Any = None,
        block_id: str | None = None,
    ) -> DriverResponse:
        """A click on a stored message (or an ephemeral one, by its message_ts)."""
        message = self.state.find_message(channel_id, message_ts)
        ephemeral = None if message else self._ephemeral(channel_id, message_ts)
        blocks = (message or ephemeral or {}).get("blocks")
        bid, element = payloads.find_element(blocks, action_id, block_id)
        payload = payloads.common(self.state, "block_actions", user_id)
        container: Json = {
            "type": "message",
            "message_ts": message_ts,
            "channel_id": channel_id,
        }
        container["is_ephemeral"] = message is None
        if message and message.get("thread_ts"):
            container["thread_ts"] = message["thread_ts"]
        payload |= {
            "container": container,
            "trigger_id": self.standin.new_trigger_id(user_id),
            "channel": {"id": channel_id, "name": payloads.channel_name(self.state, channel_id)},
            "state": {"values": {}},
            "response_url": self.standin.new_response_url(channel_id, user_id, message_ts),
            "actions": [payloads.action(self.state, bid, element, value)],
        }
        if message is not None:  # Slack leaves the message out for ephemeral ones
            payload["message"] = self.state.public_message(message)
        return await self.deliver("interactive", payload)

    def _ephemeral(self, channel_id: str, message_ts: str) -> Json:
        for eph in self.state.ephemerals:
            if eph["channel"] == channel_id and eph["message_ts"] == message_ts:
                return eph
        raise ValueError(f"no message or ephemeral {message_ts} in {channel_id}")

    async def view_block_action(
        self,
        user_id: str,
        view_id: str,
        action_id: str,
        value: Any = None,
        block_id: str | None = None,
    ) -> DriverResponse:
        """A click or selection inside an open modal or a Home tab."""
        view = self._view(view_id, user_id)
        bid, element = payloads.find_element(view["blocks"], action_id, block_id)
        act = payloads.action(self.state, bid, element, value)
        if element["type"] != "button":  # the client keeps the selection in view.state
            values = view["state"].setdefault("values", {})
            values.setdefault(bid, {})[action_id] = payloads.state_value(element, value)
        payload = payloads.common(self.state, "block_actions", user_id)
        payload |= {
            "container": {"type": "view", "view_id": view_id},
            "trigger_id": self.standin.new_trigger_id(user_id, view_id),
            "view": public_view(view),
            "actions": [act],
        }
        return await self.deliver("interactive", payload)

    def _view(self, view_id: str, user_id: str) -> Json:
        view = self.state.views.get(view_id)
        if view is None or view["closed"]:
            raise ValueError(f"view {view_id} is not open")
        if view["user"] not in (None, user_id):
            raise ValueError(f"view {view_id} belongs to {view['user']}, not {user_id}")
        return view

    # --- modals ------------------------------------------------------------------------------
    async def view_submission(
        self, user_id: str, view_id: str, values: dict[str, dict[str, Json]] | None = None
    ) -> DriverResponse:
        """Submit a modal with `values` over what it shows; refuses what Slack's client would."""
        view = self._view(view_id, user_id)
        if view.get("submit") is None:
            raise ValueError(f"view {view_id} has no submit button")
        sent = public_view(view)
        sent["state"] = {"values": submission_state(view, values or {})}
        payload = payloads.common(self.state, "view_submission", user_id)
        payload |= {
            "trigger_id": self.standin.new_trigger_id(user_id, view_id),
            "view": sent,
            "response_urls": [],
        }
        view["state"] = copy.deepcopy(sent["state"])
        resp = await self.deliver("interactive", payload)
        apply_view_ack(self, view_id, resp)
        return resp

    async def view_closed(self, user_id: str, view_id: str) -> DriverResponse | None:
        """The user closes the modal; Slack tells the app only if notify_on_close was set."""
        view = self._view(view_id, user_id)
        payload = payloads.common(self.state, "view_closed", user_id)
        payload |= {"view": public_view(view), "is_cleared": bool(view["clear_on_close"])}
        close_view(self.state, view_id, clear=bool(view["clear_on_close"]))
        if not view["notify_on_close"]:
            return None
        return await self.deliver("interactive", payload)

    # --- events ------------------------------------------------------------------------------
    async def event(
        self,
        event: Json,
        retry_num: int | None = None,
        retry_reason: str | None = None,
        no_retry: bool = False,
    ) -> DriverResponse:
        """An Events API delivery. Unless `no_retry`, a failed or late one is redelivered (up to
        3 retries, immediately rather than Slack's backoff) unless the app answered
        `X-Slack-No-Retry: 1`. Returns the last response."""
        envelope = payloads.event_envelope(self.state, event, self.state.new_id("Ev"))
        attempt = retry_num or 0
        while True:
            resp = await self.deliver("events_api", envelope, attempt or None, retry_reason)
            failed = resp.late or not 200 <= resp.status < 300
            refused = resp.headers.get("X-Slack-No-Retry") == "1"
            if not failed or no_retry or refused or attempt >= MAX_EVENT_RETRIES:
                return resp
            attempt += 1
            retry_reason = "timeout" if self.socket_mode else _http_reason(resp)

    async def deliver_message_event(
        self, message: Json, channel_id: str | None = None, **kwargs: Any
    ) -> DriverResponse:
        """The `message` event for a stored message (e.g. from standin.post_user_message)."""
        channel_id = channel_id or self._channel_of(message)
        return await self.event(payloads.message_event(self.state, channel_id, message), **kwargs)

    async def deliver_app_mention(self, message: Json, channel_id: str | None = None) -> Any:
        channel_id = channel_id or self._channel_of(message)
        event = payloads.message_event(self.state, channel_id, message)
        event["type"] = "app_mention"
        event.pop("channel_type", None)
        return await self.event(event)

    async def app_home_opened(self, user_id: str, tab: str = "home") -> DriverResponse:
        channel = self.state.open_conversation([user_id])[0].id
        event: Json = {"type": "app_home_opened", "user": user_id, "channel": channel, "tab": tab}
        home = self.state.home_views.get(user_id)
        if home is not None:
            event["view"] = public_view(home)
        return await self.event(event)

    def _channel_of(self, message: Json) -> str:
        for channel_id in self.state.channels:
            if self.state.find_message(channel_id, message["ts"]) is message:
                return channel_id
        raise ValueError("message not in the stand-in's store; pass channel_id")


def _http_reason(resp: DriverResponse) -> str:
    if resp.status == 0 or resp.late:
        return "http_timeout"
    return "http_error"
