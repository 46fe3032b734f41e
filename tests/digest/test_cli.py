"""`kasuhara-bot digest`: the same figures in a terminal, from the database alone."""

from __future__ import annotations

import asyncio
import csv
import io
import json
from pathlib import Path

import pytest

from bot.cli.main import main
from storage.db import engine_for, make_sessions
from storage.migrate import upgrade
from tests.digest.seed import seed_week48


async def _seed(url: str) -> None:
    await upgrade(url)
    async with engine_for(url) as engine, make_sessions(engine).begin() as session:
        await seed_week48(session)


@pytest.fixture
def seeded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    url = f"sqlite+aiosqlite:///{tmp_path / 'cli.db'}"
    asyncio.run(_seed(url))
    monkeypatch.setenv("DATABASE_URL", url)
    monkeypatch.setenv("KASUHARA_TIMEZONE", "Asia/Tokyo")


def _run(capsys: pytest.CaptureFixture[str], *args: str, week: str = "2026-W48") -> str:
    assert main(["digest", "--week", week, *args]) == 0
    return capsys.readouterr().out


def test_json(seeded: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_run(capsys, "--format", "json"))
    assert (data["week"], data["total"], data["previous"]) == ("2026-W48", 6, 2)
    assert data["start"] == "2026-11-23T00:00:00+09:00"
    assert data["ack_median_seconds"] == 1500
    assert [p["count"] for p in data["trend"]] == [0, 0, 0, 0, 0, 1, 2, 6]


def test_open_cases_of_a_past_week(seeded: None, capsys: pytest.CaptureFixture[str]) -> None:
    data = json.loads(_run(capsys, "--format", "json", week="2026-W47"))
    # At Monday 23 November 00:00: A is a minute old, I 6½ days (resolved later), H 12 days.
    assert data["as_of"] == "2026-11-23T00:00:00+09:00"
    assert data["open_by_age"] == [1, 0, 1, 1] and data["open_unacknowledged"] == 2


def test_csv(seeded: None, capsys: pytest.CaptureFixture[str]) -> None:
    rows = dict(csv.reader(io.StringIO(_run(capsys, "--format", "csv"))))
    assert rows["total"] == "6" and rows["chosen_1"] == "2" and rows["suggested_5"] == "1"
    assert rows["channel_phone"] == "2" and rows["trend_2026-W48"] == "6"


def test_text(seeded: None, capsys: pytest.CaptureFixture[str]) -> None:
    out = _run(capsys)
    assert out.startswith("📊 カスハラ週次レポート 11月23日(月)〜11月29日(日)")
    assert "報告件数 6件(前週 2件・4件増)" in out and "*" not in out


def test_bad_week_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exc:
        main(["digest", "--week", "2026-48"])
    assert exc.value.code == 2
    assert "2026-W48" in capsys.readouterr().err
