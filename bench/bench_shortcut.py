"""How long after the click the message shortcut's modal opens (Slack's trigger lasts 3 s).

    python bench/bench_shortcut.py [--runs 5]

Against the local stand-in, through signed requests: once as usual, once with
chat.getPermalink answering 429 Retry-After: 3 (the modal must still open, the link follow).
Prints the click → views.open time (median and max) and whether views.open succeeded.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time

from bot.demo.harness import PUBLIC, STAFF, Harness, running_harness


async def _once(h: Harness, slow: bool) -> tuple[float, bool]:
    if slow:
        h.standin.fail_next("chat.getPermalink", status=429, retry_after=3)
    wire = h.standin.typed("客が<店長を出せ>と叫んだ @sato")
    message = h.standin.post_user_message(PUBLIC, STAFF[0], wire)
    before = len(h.standin.calls_to("views.open"))
    clicked = time.time()
    await h.driver.message_shortcut(STAFF[0], "report.message_shortcut", PUBLIC, message["ts"])
    await h.settle()
    opened = h.standin.calls_to("views.open")[before]
    return opened.at - clicked, opened.ok


async def main(runs: int) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        async with running_harness(f"sqlite+aiosqlite:///{tmp}/bench.db") as h:
            for slow in (False, True):
                times = [await _once(h, slow) for _ in range(runs)]
                label = "permalink 429 Retry-After 3" if slow else "as usual"
                median = statistics.median(t for t, _ in times)
                worst = max(t for t, _ in times)
                ok = all(o for _, o in times)
                print(f"{label:28} click→views.open median {median:.3f}s max {worst:.3f}s ok={ok}")


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=5)
    asyncio.run(main(parser.parse_args().runs))
