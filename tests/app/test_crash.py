"""The app is killed (SIGKILL) right after a report is committed; after a restart the alert
and the follow-ups that fell due meanwhile arrive, once each."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import subprocess
import sys
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

import aiohttp
from sqlalchemy import text

from bot.demo.harness import (
    BOT_TOKEN,
    SIGNING_SECRET,
    STAFF,
    SUPERVISORS,
    demo_workspace,
    report_state,
)
from bot.privacy.crypto import generate_key
from slack_standin import SlackDriver, SlackStandin
from storage.db import engine_for

ROOT = Path(__file__).resolve().parents[2]
DEADLINE = 30.0


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


async def _until(check, what: str) -> None:  # type: ignore[no-untyped-def]
    """Poll a condition with a deadline: the app runs in another process."""
    loop = asyncio.get_running_loop()
    end = loop.time() + DEADLINE
    while not await check():
        assert loop.time() < end, f"timed out waiting for {what}"
        await asyncio.sleep(0.05)


@asynccontextmanager
async def _app(env: dict[str, str], log: Path) -> AsyncIterator[subprocess.Popen[bytes]]:
    with log.open("ab") as out:
        proc = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "run"], cwd=ROOT, env=env, stdout=out, stderr=out
        )
    port = env["PORT"]

    async def healthy() -> bool:
        assert proc.poll() is None, log.read_text()
        try:
            async with aiohttp.ClientSession() as s, s.get(f"http://127.0.0.1:{port}/healthz") as r:
                return r.status == 200
        except aiohttp.ClientError:
            return False

    try:
        await _until(healthy, "the app to start")
        yield proc
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait(timeout=10)


def _env(standin: SlackStandin, database_url: str, port: int) -> dict[str, str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KASUHARA_"))}
    return base | {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_SIGNING_SECRET": SIGNING_SECRET,
        "SLACK_API_URL": standin.api_url,
        "KASUHARA_SUPERVISOR_CHANNEL": SUPERVISORS,
        "KASUHARA_HR_CHANNEL": "GHRPRIVATE",
        "KASUHARA_ESCALATION_USERS": "USUP0001",
        "KASUHARA_DATA_KEY": generate_key(),
        "DATABASE_URL": database_url,
        "PORT": str(port),
        "KASUHARA_OUTBOX_LEASE_SECONDS": "2",
        "KASUHARA_QUIET_HOURS": "00:00-00:00",
    }


async def _make_due(database_url: str) -> None:
    """Time passes while the app is down: the reminder and escalation fall due."""
    async with engine_for(database_url) as engine, engine.begin() as conn:
        await conn.execute(
            text(
                "UPDATE followup SET due_at = '2000-01-01 00:00:00' "
                "WHERE kind IN ('reminder', 'escalation')"
            )
        )


async def test_sigkill_after_commit_loses_nothing(database_url: str, tmp_path: Path) -> None:
    port = _free_port()
    async with SlackStandin(demo_workspace()) as standin:
        env = _env(standin, database_url, port)
        driver = SlackDriver(
            standin, app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SIGNING_SECRET
        )
        async with _app(env, tmp_path / "app.log") as proc:
            await driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="")
            await _until(lambda: _true(bool(standin.views)), "the modal")
            view_id = next(iter(standin.views))
            # Slack holds the alert's post: the app commits, acknowledges, then dies.
            standin.set_delay("conversations.info", 60)
            resp = await driver.view_submission(
                user_id=STAFF[0],
                view_id=view_id,
                values=report_state("帰ってくれず2時間居座られた"),
            )
            assert resp.status == 200 and not resp.body
            proc.send_signal(signal.SIGKILL)
        assert standin.messages(SUPERVISORS) == []
        standin.set_delay("conversations.info", 0)
        await _make_due(database_url)
        async with _app(env, tmp_path / "app.log"):

            async def delivered() -> bool:
                alerts = standin.messages(SUPERVISORS)
                return (
                    bool(alerts)
                    and bool(standin.replies(SUPERVISORS, alerts[0]["ts"]))
                    and bool(standin.dm_channel("USUP0001"))
                )

            await _until(delivered, "the alert, its reminder and the escalation")
            await _until(lambda: _outbox_empty(database_url), "the outbox to drain")
        [alert] = standin.messages(SUPERVISORS)
        assert len(standin.replies(SUPERVISORS, alert["ts"])) == 1
        assert len(standin.messages(standin.dm_channel("USUP0001"))) == 1
        assert len(standin.messages(standin.dm_channel(STAFF[0]))) == 1  # the receipt


async def _true(value: bool) -> bool:
    return value


async def _outbox_empty(database_url: str) -> bool:
    async with engine_for(database_url) as engine, engine.connect() as conn:
        left = (
            await conn.execute(
                text("SELECT count(*) FROM outbox WHERE status IN ('pending', 'sending')")
            )
        ).scalar_one()
    return left == 0


async def test_sigterm_lets_the_work_under_way_finish(database_url: str, tmp_path: Path) -> None:
    """SIGTERM (docker stop, systemd, Kubernetes) while the app is opening a report modal
    after its ack: the modal still opens, the process says it stopped and exits 0."""
    port = _free_port()
    log = tmp_path / "app.log"
    async with SlackStandin(demo_workspace()) as standin:
        env = _env(standin, database_url, port) | {"LOG_LEVEL": "INFO"}
        driver = SlackDriver(
            standin, app_url=f"http://127.0.0.1:{port}/slack/events", signing_secret=SIGNING_SECRET
        )
        async with _app(env, log) as proc:
            standin.set_delay("views.open", 1.0)
            resp = await driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="")
            assert resp.status == 200
            await _until(lambda: _true(standin.arrived("views.open") == 1), "views.open sent")
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(proc.wait, DEADLINE)
        assert code == 0, log.read_text()
        assert len(standin.views) == 1  # the modal the person asked for
        text = log.read_text()
        assert "stopped" in text and "Traceback" not in text
        assert " WARNING " not in text, text  # a clean start and stop alarms nobody


async def test_sigterm_closes_socket_mode_cleanly(database_url: str, tmp_path: Path) -> None:
    """Over Socket Mode (SLACK_APP_TOKEN set), `run` connects, answers, and on SIGTERM closes
    its connection and exits 0."""
    port = _free_port()
    log = tmp_path / "app.log"
    async with SlackStandin(demo_workspace()) as standin:
        env = _env(standin, database_url, port) | {
            "LOG_LEVEL": "INFO",
            "SLACK_APP_TOKEN": standin.workspace.app_token,
        }
        async with _app(env, log) as proc:
            await standin.socket_connected()
            driver = SlackDriver(standin, socket_mode=True)
            ack = await driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="help")
            assert ack.status == 200 and "/kasuhara" in str(ack.json)
            proc.send_signal(signal.SIGTERM)
            code = await asyncio.to_thread(proc.wait, DEADLINE)
        assert code == 0, log.read_text()
        text = log.read_text()
        assert "stopped" in text and "Traceback" not in text
