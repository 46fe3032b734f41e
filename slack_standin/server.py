"""SlackStandin: a loopback aiohttp server playing Slack's Web API, upload and response URLs."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from aiohttp import web

from slack_standin import api_files, markup, people, response_urls
from slack_standin.api_chat import require_postable
from slack_standin.faults import Faults
from slack_standin.socket_mode import SocketHub
from slack_standin.state import ApiCall, ApiError, State
from slack_standin.webapi import WebApi
from slack_standin.workspace import Workspace


class SlackStandin:
    def __init__(
        self,
        workspace: Workspace,
        clock: Callable[[], float] = time.time,
        host: str = "127.0.0.1",
        port: int = 0,
    ) -> None:
        self.workspace = workspace
        self.clock = clock
        self.host, self.port = host, port
        self.state = State(workspace, clock)
        self.faults = Faults(clock)
        self.webapi = WebApi(self.state, self.faults)
        self.sockets = SocketHub(self.state)
        self._runner: web.AppRunner | None = None
        self.connections = 0  # TCP connections accepted so far (keep-alive shows as few)

    # --- lifecycle ---------------------------------------------------------------------------
    async def start(self, port: int | None = None) -> None:
        app = web.Application()
        app.router.add_route("*", "/api/{method}", self.webapi.handle)
        app.router.add_post("/upload/v1/{key}", self._upload)
        app.router.add_post("/response/{rid}", self._response_url)
        app.router.add_get("/socket/link/", self.sockets.handle)
        self._runner = web.AppRunner(app, access_log=None)
        await self._runner.setup()
        self._count_connections(self._runner.server)
        site = web.TCPSite(self._runner, self.host, port if port is not None else self.port)
        await site.start()
        self.port = self._runner.addresses[0][1]
        self.state.base_url = f"http://{self.host}:{self.port}/"

    def _count_connections(self, server: web.Server | None) -> None:
        """Each accepted connection gets a request handler, which reports to its server."""
        assert server is not None
        made = server.connection_made

        def counted(handler: Any, transport: Any) -> None:
            self.connections += 1
            made(handler, transport)

        server.connection_made = counted  # type: ignore[method-assign]

    async def stop(self) -> None:
        await self.sockets.close_all()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> SlackStandin:
        await self.start()
        return self

    async def __aexit__(self, *exc: object) -> None:
        await self.stop()

    async def _upload(self, request: web.Request) -> web.Response:
        return await api_files.receive_upload(self.state, request)

    async def _response_url(self, request: web.Request) -> web.Response:
        return await response_urls.handle_post(self.state, request)

    @property
    def base_url(self) -> str:
        return self.state.base_url

    @property
    def api_url(self) -> str:
        return f"{self.state.base_url}api/"

    # --- records -----------------------------------------------------------------------------
    @property
    def calls(self) -> list[ApiCall]:
        return self.state.calls

    def arrived(self, method: str) -> int:
        """How many `method` calls have reached the stand-in, answered or still held."""
        return self.state.arrivals.count(method)

    def calls_to(self, method: str) -> list[ApiCall]:
        return [c for c in self.state.calls if c.method == method]

    def messages(self, channel_id: str) -> list[dict[str, Any]]:
        return self.state.history.get(channel_id, [])

    def replies(self, channel_id: str, thread_ts: str) -> list[dict[str, Any]]:
        return self.state.threads.get((channel_id, thread_ts), [])

    @property
    def ephemerals(self) -> list[dict[str, Any]]:
        return self.state.ephemerals

    @property
    def views(self) -> dict[str, dict[str, Any]]:
        return self.state.views

    @property
    def home_views(self) -> dict[str, dict[str, Any]]:
        return self.state.home_views

    @property
    def files(self) -> list[dict[str, Any]]:
        return self.state.files

    @property
    def response_url_posts(self) -> list[dict[str, Any]]:
        return self.state.response_url_posts

    def dm_channel(self, user_id: str) -> str | None:
        """The id of the bot's IM with this user, if one was opened (never creates one)."""
        for info in self.state.channels.values():
            if info.is_im and info.user == user_id:
                return info.id
        return None

    def open_views(self, user_id: str | None = None) -> list[dict[str, Any]]:
        """Views currently on screen (modal stacks, bottom first), optionally for one user."""
        ids = [vid for stack in self.state.stacks.values() for vid in stack]
        views = [self.state.views[vid] for vid in ids]
        return [v for v in views if user_id is None or v["user"] == user_id]

    # --- fault injection ---------------------------------------------------------------------
    def fail_next(
        self,
        method: str,
        times: int = 1,
        status: int | None = None,
        error: str | None = None,
        retry_after: int | None = None,
        text: str | None = None,
        after: bool = False,
        reset: bool = False,
    ) -> None:
        """HTTP `status` (default 500), or HTTP 200 `{"ok": false, "error": error}`; `text`
        answers with that text/plain body instead of JSON. `reset` drops the connection
        without an answer. `after`: the call takes effect first, then fails that way (the
        answer lost on its way back, as Slack documents a 5xx or a timeout may be)."""
        self.faults.fail_next(method, times, status, error, retry_after, text, after, reset)

    def refuse_token(self, refused: bool = True) -> None:
        """Answer every call with invalid_auth until called with False (a token rotation)."""
        self.state.token_refused = refused

    def update_channel(self, channel_id: str, **changes: Any) -> None:
        """Archive, unshare, share... a channel: `update_channel("C1", is_archived=True)`."""
        self.state.channels[channel_id] = replace(self.state.channel(channel_id), **changes)

    def update_user(self, user_id: str, **changes: Any) -> None:
        """E.g. `update_user("U1", deleted=True)`: a deactivated account."""
        users = self.workspace.users
        users[user_id] = replace(users[user_id], **changes)

    def delete_message(self, channel_id: str, ts: str) -> None:
        """A person deleted the message in Slack: chat.update then answers message_not_found."""
        self.state.delete_message(channel_id, ts)

    def set_delay(self, method: str, seconds: float) -> None:
        self.faults.delays[method] = seconds

    @property
    def pace_post_message(self) -> bool:
        return self.webapi.pace_post_message

    @pace_post_message.setter
    def pace_post_message(self, on: bool) -> None:
        self.webapi.pace_post_message = on
        self.faults.buckets.clear()

    # --- playing the humans ------------------------------------------------------------------
    def new_trigger_id(self, user_id: str | None = None, view_id: str | None = None) -> str:
        return self.state.new_trigger_id(user_id, view_id)

    def new_response_url(
        self, channel_id: str | None, user_id: str, message_ts: str | None = None
    ) -> str:
        return response_urls.new_response_url(self.state, channel_id, user_id, message_ts)

    def post_user_message(
        self, channel_id: str, user_id: str, text: str, thread_ts: str | None = None, **kw: Any
    ) -> dict[str, Any]:
        """Store a message as if a human posted it (no event is sent; see the driver). `text`
        is the wire text: pass `typed(...)` for what a person typed. Keywords: `broadcast`,
        `files` (names), `attachments` (see people.person_message)."""
        return people.person_message(
            self.state, channel_id, user_id, text, thread_ts=thread_ts, **kw
        )

    def post_app_message(self, channel_id: str, **kw: Any) -> dict[str, Any]:
        """Store another app's message (see people.app_message)."""
        return people.app_message(self.state, channel_id, **kw)

    def render_for(self, user_id: str, text: str, now: float | None = None) -> str:
        """Text as this person's Slack client shows it (at `now`): dates in their own zone."""
        user = self.workspace.users[user_id]
        return markup.as_seen_by(text, user.tz, self.state.clock() if now is None else now)

    def typed(self, text: str) -> str:
        """What Slack's client sends for what a person typed (escaped, @name → <@U…>)."""
        return markup.typed(text, self.workspace, self.state.channels)

    def bot_can_post(self, channel_id: str) -> bool:
        try:
            require_postable(self.state, self.state.channel(channel_id))
        except ApiError:
            return False
        return True

    async def socket_disconnect(self, reason: str = "refresh_requested") -> None:
        await self.sockets.disconnect(reason)

    async def socket_connected(self, within: float = 5.0) -> None:
        """Wait until the app's Socket Mode client has connected (and got its hello)."""
        await self.sockets.wait_connected(within)
