"""The app (or a bare Bolt app) served on loopback in a process of its own, for bench_ack.py.

    python bench/ack_server.py --mode app --database-url URL --api-url STANDIN_API_URL

Prints `READY <port>` once it listens and serves until its standard input closes, so it
never outlives the bench that started it. Both modes are wired as `bot.demo.harness` wires the
app (harness settings, aiohttp, the same signing secret); `bare` only acknowledges.
"""

from __future__ import annotations

import argparse
import asyncio
import re
import sys
from typing import Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp

from bot.app import create_app, create_services, create_web_app
from bot.delivery.slack_client import make_client
from bot.demo.harness import BOT_TOKEN, SIGNING_SECRET, harness_settings
from bot.privacy.crypto import Cipher
from handlers.ids import COMMAND, Callback


def app_web_app(database_url: str, api_url: str) -> web.Application:
    """The real app with its background delivery, as `running_harness` builds it."""
    settings = harness_settings(database_url, api_url)
    assert settings.data_key is not None
    svc = create_services(settings, Cipher.from_setting(settings.data_key.get_secret_value()))
    return create_web_app(svc, create_app(svc), migrate=False)


def bare_web_app(api_url: str) -> web.Application:
    """A Bolt app whose listeners only acknowledge, served the same way."""
    client = make_client(BOT_TOKEN, api_url)
    bolt = AsyncApp(
        client=client,
        signing_secret=SIGNING_SECRET,
        process_before_response=False,
    )

    async def just_ack(ack: AsyncAck) -> None:
        await ack()

    bolt.command(COMMAND)(just_ack)
    bolt.view(Callback.REPORT)(just_ack)
    bolt.action(re.compile(".*"))(just_ack)

    async def slack_events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def close(_: web.Application) -> None:
        await client.close()

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.add_routes([web.post("/slack/events", slack_events)])
    web_app.on_cleanup.append(close)
    return web_app


async def serve(web_app: web.Application) -> None:
    runner = web.AppRunner(web_app, access_log=None)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    port = runner.addresses[0][1]
    print(f"READY {port}", flush=True)
    try:
        await _stdin_closed()
    finally:
        await runner.cleanup()


async def _stdin_closed() -> None:
    loop = asyncio.get_running_loop()
    reader = asyncio.StreamReader()
    await loop.connect_read_pipe(lambda: asyncio.StreamReaderProtocol(reader), sys.stdin)
    await reader.read()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--mode", choices=("app", "bare"), required=True)
    parser.add_argument("--database-url", default="")
    parser.add_argument("--api-url", required=True)
    args: Any = parser.parse_args(argv)
    if args.mode == "app":
        web_app = app_web_app(args.database_url, args.api_url)
    else:
        web_app = bare_web_app(args.api_url)
    asyncio.run(serve(web_app))
    return 0


if __name__ == "__main__":
    sys.exit(main())
