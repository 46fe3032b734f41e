"""Fixtures: a small workspace, a running stand-in, a slack_sdk client pointed at it."""

from __future__ import annotations

import asyncio
import time
import urllib.parse
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

import pytest
from aiohttp import web
from slack_sdk.signature import SignatureVerifier
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import ChannelInfo, SlackDriver, SlackStandin, UserInfo, Workspace

BOT_TOKEN = "xoxb-standin"
SECRET = "secret"


class FakeClock:
    """Starts at real time (so signed requests stay fresh) and moves only when told."""

    def __init__(self) -> None:
        self.now = time.time()

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds


def make_workspace(**overrides: object) -> Workspace:
    channels = {
        "CSUP": ChannelInfo(
            id="CSUP", name="supervisors", is_private=True, members=("USUP1", "USUP2", "UBOT")
        ),
        "CGEN": ChannelInfo(id="CGEN", name="general", members=("U1", "USUP1", "UBOT")),
        "CSECRET": ChannelInfo(id="CSECRET", name="hr-only", is_private=True, members=("USUP1",)),
        "CPUB": ChannelInfo(id="CPUB", name="random", members=("U1",)),
        "CEXT": ChannelInfo(
            id="CEXT", name="partner", is_ext_shared=True, members=("U1", "UBOT", "UEXT")
        ),
    }
    users = {
        "U1": UserInfo(id="U1", name="tanaka", real_name="田中 花子", tz="Asia/Tokyo"),
        "USUP1": UserInfo(id="USUP1", name="sato", real_name="佐藤 一郎"),
        "USUP2": UserInfo(id="USUP2", name="suzuki", real_name="鈴木 次郎", tz="Europe/London"),
    }
    fields: dict[str, object] = {
        "channels": channels,
        "users": users,
        "usergroups": {"S0SUP": ("USUP1", "USUP2")},
    }
    fields.update(overrides)
    return Workspace(**fields)  # type: ignore[arg-type]


@pytest.fixture
def clock() -> FakeClock:
    return FakeClock()


@pytest.fixture
async def standin(clock: FakeClock) -> AsyncIterator[SlackStandin]:
    async with SlackStandin(make_workspace(), clock=clock) as running:
        yield running


@pytest.fixture
def client(standin: SlackStandin) -> AsyncWebClient:
    return AsyncWebClient(token=BOT_TOKEN, base_url=standin.api_url)


@asynccontextmanager
async def serve(app: web.Application) -> AsyncIterator[str]:
    """Run an aiohttp app on a free loopback port; yields its base URL."""
    runner = web.AppRunner(app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    try:
        yield f"http://127.0.0.1:{runner.addresses[0][1]}"
    finally:
        await runner.cleanup()


def section(text: str) -> dict[str, object]:
    return {"type": "section", "text": {"type": "mrkdwn", "text": text}}


def modal(title: str = "Report", **extra: object) -> dict[str, object]:
    view: dict[str, object] = {
        "type": "modal",
        "callback_id": "report",
        "title": {"type": "plain_text", "text": title},
        "submit": {"type": "plain_text", "text": "Send"},
        "blocks": [
            {
                "type": "input",
                "block_id": "detail",
                "label": {"type": "plain_text", "text": "What happened?"},
                "element": {"type": "plain_text_input", "action_id": "text", "multiline": True},
            }
        ],
    }
    view.update(extra)
    return view


class Recorder:
    """A stand-in app: verifies signatures like Bolt does and records what arrived."""

    def __init__(self) -> None:
        self.requests: list[dict[str, Any]] = []
        self.replies: list[web.Response] = []  # queued answers; default 200 ""
        self.delay = 0.0
        self.verifier = SignatureVerifier(SECRET)

    async def handle(self, request: web.Request) -> web.Response:
        body = await request.read()
        valid = self.verifier.is_valid(
            body=body,
            timestamp=request.headers.get("X-Slack-Request-Timestamp", ""),
            signature=request.headers.get("X-Slack-Signature", ""),
        )
        self.requests.append({"body": body, "headers": dict(request.headers), "valid": valid})
        if not valid:
            return web.Response(status=401, text="invalid signature")
        await asyncio.sleep(self.delay)
        return self.replies.pop(0) if self.replies else web.Response(text="")

    def form(self, i: int = -1) -> dict[str, str]:
        return dict(urllib.parse.parse_qsl(self.requests[i]["body"].decode()))


@pytest.fixture
async def recorder(standin: SlackStandin) -> AsyncIterator[tuple[Recorder, SlackDriver]]:
    rec = Recorder()
    app = web.Application()
    app.router.add_post("/slack/events", rec.handle)
    async with serve(app) as url:
        yield rec, SlackDriver(standin, app_url=f"{url}/slack/events", signing_secret=SECRET)
