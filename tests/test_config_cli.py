"""Settings and operator commands, run as an operator would."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from bot.config import ConfigError, load_settings
from bot.privacy.crypto import Cipher, DataKeyError, generate_key

ROOT = Path(__file__).resolve().parents[1]


def _cli(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    base = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KASUHARA_"))}
    return subprocess.run(
        [sys.executable, "-m", "bot.cli", *args],
        capture_output=True,
        text=True,
        env=base | (env or {}),
        cwd=ROOT,
        timeout=60,
        check=False,
    )


def test_malformed_setting_is_named_in_one_line(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORT", "not-a-port")
    with pytest.raises(ConfigError, match="^PORT: "):
        load_settings(_env_file=None)
    monkeypatch.setenv("PORT", "3000")
    monkeypatch.setenv("KASUHARA_TIMEZONE", "Mars/Olympus")
    with pytest.raises(ConfigError, match="^KASUHARA_TIMEZONE: .*unknown time zone"):
        load_settings(_env_file=None)


def test_run_without_key_refuses_in_one_line(tmp_path: Path) -> None:
    env = {
        "SLACK_BOT_TOKEN": "xoxb-x",
        "SLACK_SIGNING_SECRET": "s",
        "KASUHARA_SUPERVISOR_CHANNEL": "C123",
        "KASUHARA_HR_CHANNEL": "G123",
        "DATABASE_URL": f"sqlite+aiosqlite:///{tmp_path}/x.db",
    }
    result = _cli("run", env=env)
    assert result.returncode == 2
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "KASUHARA_DATA_KEY" in lines[0]


def test_run_names_every_missing_setting_one_line_each() -> None:
    result = _cli("run", env={"KASUHARA_DATA_KEY": generate_key()})
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "kasuhara-bot: SLACK_BOT_TOKEN is not set",
        "kasuhara-bot: KASUHARA_SUPERVISOR_CHANNEL is not set",
        "kasuhara-bot: KASUHARA_HR_CHANNEL is not set",
        "kasuhara-bot: SLACK_SIGNING_SECRET is not set",
    ]


def test_gen_key_makes_a_working_key() -> None:
    key = _cli("gen-key").stdout.strip()
    cipher = Cipher.from_setting(key)
    assert cipher.decrypt(cipher.encrypt("土下座しろと言われた")) == "土下座しろと言われた"
    with pytest.raises(DataKeyError):
        Cipher.from_setting(generate_key()).decrypt(cipher.encrypt("x"))
    with pytest.raises(DataKeyError):
        Cipher.from_setting("not-a-key")


def test_db_upgrade_creates_schema(tmp_path: Path) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path}/m.db"
    result = _cli("db", "upgrade", env={"DATABASE_URL": url})
    assert result.returncode == 0, result.stderr
    import sqlite3

    tables = {
        r[0]
        for r in sqlite3.connect(tmp_path / "m.db").execute(
            "select name from sqlite_master where type='table'"
        )
    }
    assert {"report", "audit_event", "outbox", "followup", "digest_run"} <= tables
