"""`kasuhara-bot rotate-key`: every stored text moves to the new key, then the old one goes."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from bot.cli.main import main
from bot.demo.harness import Harness
from bot.privacy.crypto import Cipher, DataKeyError, generate_key
from bot.privacy.keys import rotate_data_key
from storage.keys import ENCRYPTED_COLUMNS
from tests.app.helpers import reports
from tests.privacy.story import closed_case

TEXTS = {"昨日の窓口で大声で罵倒された", "佐藤様(080-0000-0000)", "出入り禁止を通知"}


def _old_key(h: Harness) -> str:
    assert h.svc.settings.data_key is not None
    return h.svc.settings.data_key.get_secret_value()


async def _stored_texts(h: Harness, cipher: Cipher) -> set[str]:
    found = set()
    for report in await reports(h):
        for name in ENCRYPTED_COLUMNS:
            text = cipher.decrypt(getattr(report, name))
            if text is not None:
                found.add(text)
    return found


async def _two_cases(h: Harness) -> None:
    await closed_case(
        h,
        "昨日の窓口で大声で罵倒された",
        customer="佐藤様(080-0000-0000)",
        outcome="出入り禁止を通知",
    )
    await closed_case(h, "電話で長時間の要求")


async def test_rotation_moves_every_text_to_the_new_key(harness: Harness) -> None:
    h = harness
    await _two_cases(h)
    old, new = _old_key(h), generate_key()

    first = await rotate_data_key(h.svc.sessions, f"{new},{old}", now=h.now())
    again = await rotate_data_key(h.svc.sessions, f"{new},{old}", now=h.now())
    alone = await rotate_data_key(h.svc.sessions, new, now=h.now())

    assert (first.checked, first.rotated) == (2, 2)
    assert (again.rotated, alone.rotated) == (0, 0)
    assert await _stored_texts(h, Cipher([new])) >= TEXTS
    with pytest.raises(DataKeyError):
        await _stored_texts(h, Cipher([old]))


async def test_a_text_no_key_opens_stops_the_rotation(harness: Harness) -> None:
    await _two_cases(harness)
    with pytest.raises(DataKeyError, match="KH-2026-0001: description_enc cannot be opened"):
        await rotate_data_key(
            harness.svc.sessions, f"{generate_key()},{generate_key()}", now=harness.now()
        )


async def test_rotate_key_command(
    harness: Harness,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    h = harness
    await _two_cases(h)
    old, new = _old_key(h), generate_key()
    monkeypatch.chdir(tmp_path)  # no stray .env
    monkeypatch.setenv("DATABASE_URL", h.svc.settings.database_url)

    async def run(key: str) -> int:
        monkeypatch.setenv("KASUHARA_DATA_KEY", key)
        return await asyncio.to_thread(main, ["rotate-key"])

    assert await run(f"{new},{old}") == 0
    assert "re-encrypted 2 of 2 reports" in capsys.readouterr().out
    assert await run(new) == 0
    assert "re-encrypted 0 of 2 reports" in capsys.readouterr().out
    assert await run(old) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "cannot be opened with any key" in err[0]
    assert await _stored_texts(h, Cipher([new])) >= TEXTS
