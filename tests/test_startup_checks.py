"""Issue 10, cases 9 and 10: operator mistakes refused before anything starts, one line
each, never a traceback; a data key that cannot read the stored reports refused at start, and
one unreadable report never blocking the others."""

from __future__ import annotations

import logging
import os
import socket
import subprocess
import sys
from pathlib import Path

import pytest

from bot.cli.check import run_check
from bot.cli.main import main
from bot.config import load_settings
from bot.demo.harness import HR, SUPERVISORS, running_harness
from bot.privacy.crypto import Cipher, generate_key
from bot.privacy.keys import check_data_key
from storage.models import Report
from tests.app.faults import drain_for, outbox
from tests.app.helpers import alerts, submit

ROOT = Path(__file__).resolve().parents[1]
GOOD = {
    "SLACK_BOT_TOKEN": "xoxb-x",
    "SLACK_SIGNING_SECRET": "s",
    "KASUHARA_SUPERVISOR_CHANNEL": "C0SUPERVISE",
    "KASUHARA_HR_CHANNEL": "G0HRPRIVATE",
    "KASUHARA_ESCALATION_USERS": "U0SATO0001",
}


def _run(env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KASUHARA_"))}
    base.pop("DATABASE_URL", None)
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *(args or ("run",))],
        capture_output=True,
        text=True,
        env=base | env,
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


def _one_line_each(result: subprocess.CompletedProcess[str], *names: str) -> list[str]:
    lines = result.stderr.strip().splitlines()
    assert "Traceback" not in result.stderr, result.stderr
    assert all(line.startswith("kasuhara-bot: ") for line in lines), lines
    for name in names:
        assert len([line for line in lines if name in line]) == 1, (name, lines)
    return lines


@pytest.mark.parametrize(
    ("setting", "value"),
    [
        ("KASUHARA_CHECKIN_DAYS", "-3"),
        ("KASUHARA_ESCALATION_USERS", "sato"),
        ("KASUHARA_QUIET_HOURS", "25:00-08:00"),
        ("SLACK_API_URL", "not a url"),
        ("KASUHARA_SUPERVISOR_CHANNEL", "#supervisors"),
        ("DATABASE_URL", "mysql://u@h/db"),
    ],
)
def test_case9_malformed_setting_one_line_exit_2(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    setting: str,
    value: str,
) -> None:
    env = GOOD | {"KASUHARA_DATA_KEY": generate_key()}
    env |= {"DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db", setting: value}
    result = _main(monkeypatch, capsys, env)
    assert result.returncode == 2
    assert _one_line_each(result, setting)


def test_case9_every_problem_named_together(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    env = {k: v for k, v in GOOD.items() if k != "KASUHARA_HR_CHANNEL"}
    env |= {"KASUHARA_CHECKIN_DAYS": "-3", "KASUHARA_QUIET_HOURS": "25:00-08:00"}
    result = _main(monkeypatch, capsys, env)
    assert result.returncode == 2
    names = ("KASUHARA_CHECKIN_DAYS", "KASUHARA_QUIET_HOURS", "KASUHARA_HR_CHANNEL")
    assert len(_one_line_each(result, *names, "KASUHARA_DATA_KEY")) == 4
    result = _run(env)  # and once as the operator runs it, in a process of its own
    assert result.returncode == 2
    assert len(_one_line_each(result, *names, "KASUHARA_DATA_KEY")) == 4


def _main(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], env: dict[str, str]
) -> subprocess.CompletedProcess[str]:
    """`kasuhara-bot run` in this process (the same entry point, without a Python start-up)."""
    for name in list(os.environ):
        if name.startswith(("SLACK_", "KASUHARA_")) or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    for name, value in env.items():
        monkeypatch.setenv(name, value)
    monkeypatch.chdir(ROOT)
    root = logging.getLogger()
    level, handlers = root.level, list(root.handlers)
    try:
        code = main(["run"])
    finally:  # main() installs the operator's console logging; give the tests theirs back
        root.setLevel(level)
        root.handlers[:] = handlers
    captured = capsys.readouterr()
    return subprocess.CompletedProcess(["run"], code, captured.out, captured.err)


def test_case9_postgres_scheme_maps_to_the_async_driver() -> None:
    for scheme in ("postgres", "postgresql"):
        settings = load_settings(_env_file=None, DATABASE_URL=f"{scheme}://u:p@db:5432/kasuhara")
        assert settings.database_url == "postgresql+asyncpg://u:p@db:5432/kasuhara"


def test_case9_database_nobody_listens_on_is_one_line(tmp_path: Path) -> None:
    env = GOOD | {"KASUHARA_DATA_KEY": generate_key()}
    env["DATABASE_URL"] = f"postgres://postgres@127.0.0.1:{_free_port()}/kasuhara"
    result = _run(env)
    assert result.returncode == 1
    [line] = _one_line_each(result, "DATABASE_URL")
    assert "cannot reach the database" in line


async def _seed(url: str, key: str, n: int) -> None:
    async with running_harness(url, KASUHARA_DATA_KEY=key) as h:
        for i in range(n):
            await submit(h, f"暴言 {i}")


async def test_case10_other_data_key_is_refused_at_start_naming_rotate_key(
    database_url: str,
) -> None:
    old = generate_key()
    await _seed(database_url, old, 2)
    async with running_harness(database_url, KASUHARA_DATA_KEY=generate_key()) as h:
        with pytest.raises(Exception, match="rotate-key"):
            await check_data_key(h.svc.sessions, h.svc.cipher)
    new = generate_key()
    async with running_harness(database_url, KASUHARA_DATA_KEY=f"{new},{old}") as h:
        await check_data_key(h.svc.sessions, h.svc.cipher)  # new first, old after: serves


async def test_case10_unreadable_report_blocks_nothing(database_url: str) -> None:
    async with running_harness(database_url) as h:
        stranger = Cipher.from_setting(generate_key())
        h.standin.fail_next("chat.postMessage", times=100, status=500)  # alerts wait...
        for i in range(5):
            await submit(h, f"長時間の説教 {i}")
        async with h.svc.sessions.begin() as s:  # ...and one report is under another key
            report = await s.get(Report, 2)
            assert report is not None
            report.description_enc = stranger.encrypt("読めない")
            s.add(report)
        h.standin.faults.pending.clear()
        await drain_for(h, 600, step=60)
        assert len(alerts(h)) == 4
        held = [r for r in await outbox(h) if r.case_id == 2 and r.kind == "alert"]
        assert held[0].last_error == "hold:data_key"
        resp = await h.driver.slash_command(user_id="USTAFF01", command="/kasuhara", text="status")
        assert resp.status == 200 and "KH-" in str(resp.body)
        text, ok = await run_check(h.svc.settings)
        assert not ok and "data_key" in text


def test_check_lists_channels_of_the_harness() -> None:
    assert SUPERVISORS and HR  # the ids the harness uses pass the settings' id check
    load_settings(_env_file=None, KASUHARA_SUPERVISOR_CHANNEL=SUPERVISORS, KASUHARA_HR_CHANNEL=HR)
