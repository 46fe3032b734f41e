"""`kasuhara-bot run`: HTTP on PORT, or Socket Mode when an app token is set."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

from bot.app import create_app, create_services, create_web_app
from bot.cli.check import verify_channels
from bot.config import Settings
from bot.privacy.crypto import Cipher

log = logging.getLogger("kasuhara")


async def serve(settings: Settings, cipher: Cipher) -> None:
    logging.getLogger().setLevel(settings.log_level)
    svc = create_services(settings, cipher)
    await verify_channels(svc)
    app = create_app(svc)
    web_app = create_web_app(svc, app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "0.0.0.0", settings.port)
    await site.start()
    log.info("listening on :%d (healthz, slack/events)", settings.port)
    try:
        if settings.socket_mode:
            if settings.slack_app_token is None:
                raise RuntimeError("SLACK_APP_TOKEN is required for Socket Mode")
            token = settings.slack_app_token.get_secret_value()
            handler = AsyncSocketModeHandler(app, token, web_client=svc.gateway.client)
            await handler.start_async()
        else:
            await asyncio.Event().wait()
    finally:
        await runner.cleanup()
