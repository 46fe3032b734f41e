"""`kasuhara-bot check` against the stand-in: identity, scopes, both channels' safety."""

from __future__ import annotations

import asyncio
import os
import sys
from pathlib import Path

from bot.demo.harness import BOT_TOKEN, HR, SUPERVISORS, demo_workspace
from slack_standin import ChannelInfo, SlackStandin

ROOT = Path(__file__).resolve().parents[1]


async def _check(standin: SlackStandin) -> tuple[int, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KASUHARA_"))}
    env |= {
        "SLACK_BOT_TOKEN": BOT_TOKEN,
        "SLACK_API_URL": standin.api_url,
        "KASUHARA_SUPERVISOR_CHANNEL": SUPERVISORS,
        "KASUHARA_HR_CHANNEL": HR,
    }
    proc = await asyncio.create_subprocess_exec(
        sys.executable,
        "-m",
        "bot.cli",
        "check",
        cwd=ROOT,
        env=env,
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.STDOUT,
    )
    out, _ = await proc.communicate()
    return proc.returncode or 0, out.decode()


async def test_check_passes_for_private_channels_and_full_scopes() -> None:
    async with SlackStandin(demo_workspace()) as standin:
        code, out = await _check(standin)
    assert code == 0, out
    assert "kasuhara-bot" in out and "スコープ: すべてそろっています" in out
    assert out.count("[OK]") == 2


async def test_check_names_public_channel_and_missing_scope() -> None:
    ws = demo_workspace()
    channels = dict(ws.channels)
    channels[SUPERVISORS] = ChannelInfo(
        id=SUPERVISORS, name="open", is_private=False, members=("UBOT",)
    )
    channels[HR] = ChannelInfo(
        id=HR, name="hr", is_private=True, is_ext_shared=True, members=("UBOT",)
    )
    scopes = frozenset(ws.scopes - {"files:write"})
    async with SlackStandin(demo_workspace(channels=channels, scopes=scopes)) as standin:
        code, out = await _check(standin)
    assert code == 1
    assert "files:write" in out
    assert "公開チャンネルです" in out and "外部と共有されています" in out
