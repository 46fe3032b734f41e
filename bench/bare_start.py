"""A bare Bolt app started as a service would be, for bench_startup.py's ratio column.

    PORT=… DATABASE_URL=… SLACK_SIGNING_SECRET=… SLACK_BOT_TOKEN=… SLACK_API_URL=… \
        python bench/bare_start.py

The required stack and nothing of the project: slack-bolt's AsyncApp on aiohttp with one
listener that only acknowledges, a SQLModel async engine that answers one SELECT before the
port opens, and /healthz. Serves until SIGTERM or SIGINT.
"""

from __future__ import annotations

import asyncio
import os
import signal

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncAck, AsyncApp
from slack_sdk.web.async_client import AsyncWebClient
from sqlalchemy import text
from sqlalchemy.ext.asyncio import create_async_engine
from sqlmodel.ext.asyncio.session import AsyncSession


async def main() -> None:
    engine = create_async_engine(os.environ["DATABASE_URL"])
    async with AsyncSession(engine) as session:
        await session.exec(text("SELECT 1"))  # type: ignore[call-overload]
    client = AsyncWebClient(os.environ["SLACK_BOT_TOKEN"], base_url=os.environ["SLACK_API_URL"])
    bolt = AsyncApp(client=client, signing_secret=os.environ["SLACK_SIGNING_SECRET"])

    @bolt.command("/kasuhara")
    async def just_ack(ack: AsyncAck) -> None:
        await ack()

    async def events(request: web.Request) -> web.Response:
        return await to_aiohttp_response(await bolt.async_dispatch(await to_bolt_request(request)))

    async def healthz(_: web.Request) -> web.Response:
        return web.json_response({"ok": True})

    web_app = web.Application()
    web_app.add_routes([web.post("/slack/events", events), web.get("/healthz", healthz)])
    runner = web.AppRunner(web_app)
    await runner.setup()
    await web.TCPSite(runner, "0.0.0.0", int(os.environ["PORT"])).start()
    stop = asyncio.Event()
    for sig in (signal.SIGTERM, signal.SIGINT):
        asyncio.get_running_loop().add_signal_handler(sig, stop.set)
    await stop.wait()
    await runner.cleanup()
    await engine.dispose()


if __name__ == "__main__":
    asyncio.run(main())
