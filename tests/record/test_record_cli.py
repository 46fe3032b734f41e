"""`kasuhara-bot record KH-2026-0001 > file.pdf`: the same record from a terminal, audited."""

from __future__ import annotations

import asyncio
import io
import json
from pathlib import Path

import pytest
from pypdf import PdfReader

from bot.cli.main import main
from bot.demo.harness import BOT_TOKEN, Harness
from tests.app.helpers import alerts, audit, submit

DESCRIPTION = "端末から出す記録の確認用の記述"


@pytest.fixture
def env(harness: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Harness:
    monkeypatch.chdir(tmp_path)  # no stray .env
    assert harness.svc.settings.data_key is not None
    monkeypatch.setenv("DATABASE_URL", harness.svc.settings.database_url)
    monkeypatch.setenv("KASUHARA_DATA_KEY", harness.svc.settings.data_key.get_secret_value())
    monkeypatch.delenv("SLACK_BOT_TOKEN", raising=False)
    return harness


def _text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "".join("".join((p.extract_text() or "").split()) for p in reader.pages)


async def test_record_to_standard_output(
    env: Harness, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    h = env
    await submit(h, DESCRIPTION, customer_key="契約番号 A-1234")
    assert await asyncio.to_thread(main, ["record", "kh-2026-0001"]) == 0
    out, err = capsysbinary.readouterr()
    assert out.startswith(b"%PDF-") and b"KH-2026-0001: 1 pages" in err
    text = _text(out)
    assert DESCRIPTION in text and "契約番号A-1234" in text
    assert "Slackからスレッドを取得できませんでした" in text  # no token: said, not hidden
    [event] = [e for e in await audit(h) if e.action == "case.record"]
    assert event.actor_id.startswith("cli:") and json.loads(event.detail)["via"] == "terminal"


async def test_record_reads_the_thread_when_slack_is_configured(
    env: Harness, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    h = env
    await submit(h, DESCRIPTION)
    await h.driver.deliver_message_event(
        h.standin.post_user_message(
            h.svc.settings.supervisor_channel, "USUP0002", "折り返し対応します", alerts(h)[0]["ts"]
        )
    )
    await h.settle()
    monkeypatch.setenv("SLACK_BOT_TOKEN", BOT_TOKEN)
    monkeypatch.setenv("SLACK_API_URL", h.svc.settings.slack_api_url)
    target = tmp_path / "record.pdf"
    assert await asyncio.to_thread(main, ["record", "KH-2026-0001", "-o", str(target)]) == 0
    text = _text(target.read_bytes())
    assert "折り返し対応します" in text and "伊藤主任(USUP0002)" in text
    assert "kasuhara-demo" in text


async def test_an_unknown_case_is_an_error(
    env: Harness, capsysbinary: pytest.CaptureFixture[bytes]
) -> None:
    assert await asyncio.to_thread(main, ["record", "KH-2026-0099"]) == 1
    out, err = capsysbinary.readouterr()
    assert out == b"" and b"no case KH-2026-0099" in err
    assert not [e for e in await audit(env) if e.action == "case.record"]
