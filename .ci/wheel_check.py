"""CI, run by the *installed* wheel's Python from outside the checkout: `kasuhara-bot check`
against the stand-in (shipped in the wheel) with one scope withheld must name that scope and
fail. Proves the manifest is package data: without it the check would see no scopes at all."""

from __future__ import annotations

import asyncio
import os
import shutil
import sys
from pathlib import Path

import bot
from bot.cli.check import required_scopes
from bot.demo.harness import BOT_TOKEN, HR, SUPERVISORS, demo_workspace
from slack_standin import SlackStandin

WITHHELD = "files:write"


def installed() -> bool:
    here = Path(bot.__file__).resolve()
    if "site-packages" not in here.parts:
        print(f"bot was imported from {here}, not from an installed wheel", file=sys.stderr)
        return False
    return True


async def main() -> int:
    scopes = frozenset(required_scopes()) - {WITHHELD}
    async with SlackStandin(demo_workspace(scopes=scopes)) as standin:
        env = {k: v for k, v in os.environ.items() if not k.startswith(("SLACK_", "KASUHARA_"))}
        env |= {
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_API_URL": standin.api_url,
            "KASUHARA_SUPERVISOR_CHANNEL": SUPERVISORS,
            "KASUHARA_HR_CHANNEL": HR,
        }
        exe = shutil.which("kasuhara-bot", path=os.path.dirname(sys.executable))
        assert exe, "kasuhara-bot is not installed beside this Python"
        proc = await asyncio.create_subprocess_exec(
            exe, "check", env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT
        )
        out = (await proc.communicate())[0].decode()
    print(out)
    if proc.returncode != 1 or WITHHELD not in out:
        print(f"check should have failed naming {WITHHELD} (exit {proc.returncode})")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(asyncio.run(main()) if installed() else 1)
