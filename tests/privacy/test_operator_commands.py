"""`kasuhara-bot purge` and `kasuhara-bot audit`, run in-process as an operator would."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest

from bot.cli.main import main
from bot.demo.harness import Harness, running_harness
from tests.app.helpers import audit, reports
from tests.privacy.story import closed_case

# Long enough ago, on the real clock the commands use, for a three-year retention to apply.
LONG_AGO = datetime(2021, 4, 1, 10, 0, tzinfo=ZoneInfo("Asia/Tokyo"))


@pytest.fixture
async def old_harness(
    database_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> AsyncIterator[Harness]:
    monkeypatch.chdir(tmp_path)  # no stray .env
    for name in ("KASUHARA_RETENTION", "KASUHARA_TIMEZONE", "KASUHARA_DATA_KEY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("DATABASE_URL", database_url)
    async with running_harness(database_url, start=LONG_AGO) as h:
        await closed_case(h, "窓口で長時間の罵声", customer="山本様")
        yield h


async def _cli(*args: str) -> int:
    return await asyncio.to_thread(main, list(args))


async def test_purge_command_uses_the_configured_retention(
    old_harness: Harness, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("KASUHARA_RETENTION", "99y")
    assert await _cli("purge") == 0
    assert "purged 0 closed cases" in capsys.readouterr().out
    monkeypatch.delenv("KASUHARA_RETENTION")
    assert await _cli("purge") == 0  # the default, three years
    out = capsys.readouterr().out
    assert "purged 1 closed cases" in out and "older than 3y" in out
    [report] = await reports(old_harness)
    assert report.purged_at is not None and report.description_enc is None
    assert await _cli("purge", "--older-than", "1d") == 0
    assert "purged 0 closed cases" in capsys.readouterr().out


async def test_purge_command_refuses_a_bad_age(
    old_harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as stop:
        await _cli("purge", "--older-than", "three years")
    assert stop.value.code == 2
    assert "is not an age such as 3y" in capsys.readouterr().err
    [report] = await reports(old_harness)
    assert report.purged_at is None


async def test_audit_command_prints_a_case_history_in_local_time(
    old_harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await _cli("audit", "--case", "kh-2021-0001") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "KH-2021-0001  status=resolved"
    actions = [line.split()[4] for line in lines[1:]]
    assert actions == ["report.created", "case.ack", "case.take", "case.viewed", "case.resolve"]
    assert lines[1].startswith("2021-04-01 10:00:00 JST  USTAFF01")
    assert "length=" in lines[1] and "窓口" not in "\n".join(lines)
    assert 'where="resolve_modal"' in lines[4]
    assert len(await audit(old_harness)) == len(lines) - 1


async def test_audit_command_shows_a_purge(
    old_harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    await _cli("purge")
    capsys.readouterr()
    assert await _cli("audit", "--case", "KH-2021-0001") == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].endswith("(text purged)")
    assert "system" in lines[-1] and "report.purged" in lines[-1]
    assert 'removed=["description", "customer", "outcome"]' in lines[-1]


async def test_audit_command_for_an_unknown_case(
    old_harness: Harness, capsys: pytest.CaptureFixture[str]
) -> None:
    assert await _cli("audit", "--case", "KH-2021-0999") == 1
    assert capsys.readouterr().err.strip() == "kasuhara-bot: no case KH-2021-0999"
