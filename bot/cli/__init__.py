"""`kasuhara-bot`, the operator's command line; the commands are in `bot.cli.main`."""

from __future__ import annotations

import gc


def main(argv: list[str] | None = None) -> int:
    """The console script. Start-up imports and builds much and frees little, so the cyclic
    collector's passes over the growing heap are pure cost (about a fifth of the time to
    healthy, `python bench/bench_startup.py`): it is paused until the command is known, and
    for `run` until the port is open (`bot.serve.collect_after_start`)."""
    gc.disable()
    from bot.cli.main import main as run_command

    return run_command(argv)
