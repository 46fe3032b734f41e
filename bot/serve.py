"""`kasuhara-bot run`: HTTP on PORT, or Socket Mode when an app token is set."""

from __future__ import annotations

import asyncio
import logging

from aiohttp import web
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.app import create_app, create_services, create_web_app
from bot.cli.check import verify_start
from bot.config import Settings, StartupError
from bot.privacy.crypto import Cipher
from bot.privacy.keys import check_data_key
from bot.services import Services
from storage.migrate import upgrade

log = logging.getLogger("kasuhara")
DATABASE_WAIT = 15.0  # seconds to reach the database at start before giving up


async def preflight(svc: Services) -> None:
    """Before serving: the database answers (StartupError, one line), its schema is current,
    and the data key opens the stored reports (DataKeyError naming rotate-key)."""
    url = make_url(svc.settings.database_url)
    where = f"{url.drivername}://{url.host or ''}:{url.port or ''}/{url.database or ''}"
    try:
        async with asyncio.timeout(DATABASE_WAIT):
            await upgrade(svc.settings.database_url)
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise StartupError(
            f"DATABASE_URL: cannot reach the database at {where}: {reason}"
        ) from None
    await check_data_key(svc.sessions, svc.cipher)


async def serve(settings: Settings, cipher: Cipher) -> None:
    logging.getLogger().setLevel(settings.log_level)
    svc = create_services(settings, cipher)
    await preflight(svc)
    await verify_start(svc)
    app = create_app(svc)
    web_app = create_web_app(svc, app)
    runner = web.AppRunner(web_app)
    await runner.setup()
    site = web.TCPSite(runner, "0.0.0.0", settings.port)
    await site.start()
    log.info("listening on :%d (healthz, slack/events)", settings.port)
    try:
        if settings.socket_mode:
            from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

            if settings.slack_app_token is None:
                raise RuntimeError("SLACK_APP_TOKEN is required for Socket Mode")
            token = settings.slack_app_token.get_secret_value()
            handler = AsyncSocketModeHandler(app, token, web_client=svc.gateway.client)
            await handler.start_async()
        else:
            await asyncio.Event().wait()
    finally:
        await runner.cleanup()
