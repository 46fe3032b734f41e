"""The app wired to the local Slack stand-in on loopback: used by the demo, tests and benches."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from aiohttp import web
from slack_bolt.async_app import AsyncApp

from bot.app import create_app, create_services, create_web_app
from bot.cli.check import required_scopes
from bot.clock import Clock
from bot.config import Settings
from bot.privacy.crypto import Cipher, generate_key
from bot.services import Services
from slack_standin import ChannelInfo, SlackDriver, SlackStandin, UserInfo, Workspace

SIGNING_SECRET = "standin-signing-secret"
BOT_TOKEN = "xoxb-standin"
SUPERVISORS = "CSUPERVISE"
HR = "GHRPRIVATE"
PUBLIC = "CPUBLIC01"
STAFF = ("USTAFF01", "USTAFF02")
SUPERVISOR_IDS = ("USUP0001", "USUP0002")
HR_IDS = ("UHR00001",)
OUTSIDER = "UOUTSIDE1"


# A Tuesday morning in Tokyo: the story does not depend on when the tests run.
DEFAULT_START = datetime(2026, 12, 1, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


def demo_workspace(**overrides: Any) -> Workspace:
    users = {
        "USTAFF01": UserInfo(id="USTAFF01", name="tanaka", real_name="田中 花子", tz="Asia/Tokyo"),
        "USTAFF02": UserInfo(id="USTAFF02", name="suzuki", real_name="鈴木 一郎", tz="Asia/Tokyo"),
        "USUP0001": UserInfo(id="USUP0001", name="sato", real_name="佐藤 課長", tz="Asia/Tokyo"),
        "USUP0002": UserInfo(id="USUP0002", name="ito", real_name="伊藤 主任", tz="Asia/Tokyo"),
        "UHR00001": UserInfo(id="UHR00001", name="kato", real_name="加藤 人事", tz="Asia/Tokyo"),
        "UOUTSIDE1": UserInfo(
            id="UOUTSIDE1", name="yamada", real_name="山田 太郎", tz="Asia/Tokyo"
        ),
    }
    channels = {
        SUPERVISORS: ChannelInfo(
            id=SUPERVISORS,
            name="kasuhara-supervisors",
            is_private=True,
            is_ext_shared=False,
            members=(*SUPERVISOR_IDS, "UBOT"),
        ),
        HR: ChannelInfo(
            id=HR,
            name="hr-private",
            is_private=True,
            is_ext_shared=False,
            members=(*HR_IDS, "UBOT"),
        ),
        PUBLIC: ChannelInfo(
            id=PUBLIC,
            name="general",
            is_private=False,
            is_ext_shared=False,
            members=(*STAFF, *SUPERVISOR_IDS, OUTSIDER, "UBOT"),
        ),
    }
    params: dict[str, Any] = {
        "scopes": frozenset(required_scopes()),
        "team_id": "T0KASUHARA",
        "team_name": "kasuhara-demo",
        "bot_user_id": "UBOT",
        "bot_id": "BBOT",
        "bot_token": BOT_TOKEN,
        "channels": channels,
        "users": users,
    }
    return Workspace(**(params | overrides))


@dataclass
class FakeNow:
    """A settable wall clock: tests move it instead of waiting."""

    moment: datetime = field(default_factory=lambda: datetime.now(UTC))

    def __call__(self) -> datetime:
        return self.moment

    def advance(self, **delta: float) -> None:
        self.moment += timedelta(**delta)


@dataclass
class Harness:
    svc: Services
    standin: SlackStandin
    driver: SlackDriver
    now: FakeNow
    url: str
    app: AsyncApp

    async def settle(self) -> None:
        """Wait until every listener Bolt is still running after its ack has finished, and
        every message queued so far was handed to Slack."""
        while True:
            await asyncio.gather(*listener_tasks(), return_exceptions=True)
            await self.svc.deliverer.wait_idle()
            if not await self.svc.deliverer.drain() and not listener_tasks():
                return


def listener_tasks() -> list[asyncio.Task[Any]]:
    """The tasks in which Bolt runs listeners on past their ack() (its coroutine's name, as
    Bolt's asyncio runner and handlers/prompt_ack.py both call it), in the running loop."""
    return [
        t
        for t in asyncio.all_tasks()
        if not t.done()
        and getattr(t.get_coro(), "__name__", "") == "run_ack_function_asynchronously"
    ]


def harness_settings(database_url: str, api_url: str, **extra: Any) -> Settings:
    values: dict[str, Any] = {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": api_url,
        "KASUHARA_SUPERVISOR_CHANNEL": SUPERVISORS,
        "KASUHARA_HR_CHANNEL": HR,
        "KASUHARA_ESCALATION_USERS": "USUP0001",
        "DATABASE_URL": database_url,
        "KASUHARA_SCHEDULER": False,
        "KASUHARA_DATA_KEY": generate_key(),
    }
    return Settings(_env_file=None, **(values | extra))  # type: ignore[call-arg]


@asynccontextmanager
async def running_harness(
    database_url: str,
    *,
    workspace: Workspace | None = None,
    start: datetime | None = None,
    tweak: Callable[[Services], None] | None = None,
    standin: SlackStandin | None = None,
    **settings_extra: Any,
) -> AsyncIterator[Harness]:
    owns_standin = standin is None
    if standin is None:
        standin = SlackStandin(workspace or demo_workspace())
        await standin.start()
    now = FakeNow(start or DEFAULT_START)
    try:
        settings = harness_settings(database_url, standin.api_url, **settings_extra)
        clock = Clock.from_settings(settings.zone, settings.quiet_hours)
        clock.now_fn = now
        assert settings.data_key is not None
        svc = create_services(
            settings, Cipher.from_setting(settings.data_key.get_secret_value()), clock=clock
        )
        if tweak:
            tweak(svc)
        app = create_app(svc)
        runner = web.AppRunner(create_web_app(svc, app))
        await runner.setup()
        site = web.TCPSite(runner, "127.0.0.1", 0)
        await site.start()
        port = site._server.sockets[0].getsockname()[1]  # type: ignore[union-attr]
        url = f"http://127.0.0.1:{port}/slack/events"
        driver = SlackDriver(standin, app_url=url, signing_secret=SIGNING_SECRET)
        try:
            yield Harness(svc, standin, driver, now, url, app)
        finally:
            await runner.cleanup()
    finally:
        if owns_standin:
            await standin.stop()


def report_state(
    description: str,
    *,
    contact: str = "phone",
    behaviours: tuple[int, ...] = (),
    customer: str = "",
    customer_key: str = "",
    urgent: bool = False,
    support: str = "none",
    occurred: datetime | None = None,
) -> dict[str, dict[str, Any]]:
    """The modal's state values as Slack sends them in a view submission."""

    def select(kind: str, value: str) -> dict[str, Any]:
        return {"type": kind, "selected_option": {"value": value}}

    state: dict[str, dict[str, Any]] = {
        "report.contact": {"contact": select("static_select", contact)},
        "report.behaviours": {
            "behaviours": {
                "type": "multi_static_select",
                "selected_options": [{"value": str(n)} for n in behaviours],
            }
        },
        "report.description": {"description": {"type": "plain_text_input", "value": description}},
        "report.customer": {"customer": {"type": "plain_text_input", "value": customer or None}},
        "report.customer_key": {
            "customer_key": {"type": "plain_text_input", "value": customer_key or None}
        },
        "report.urgency": {"urgency": select("radio_buttons", "urgent" if urgent else "after")},
        "report.support": {"support": select("radio_buttons", support)},
    }
    if occurred is not None:
        state["report.occurred"] = {
            "occurred": {"type": "datetimepicker", "selected_date_time": int(occurred.timestamp())}
        }
    return state
