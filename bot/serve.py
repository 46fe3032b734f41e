"""`kasuhara-bot run`: HTTP on PORT, or Socket Mode when an app token is set."""

from __future__ import annotations

import asyncio
import gc
import logging
import signal

from aiohttp import web
from slack_bolt.async_app import AsyncApp
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
# Seconds a stopping app gives the work under way: inside the 30 s container runtimes wait
# between SIGTERM and SIGKILL (requests, then listeners after their ack, then the outbox).
STOP_GRACE = 8.0


async def preflight(svc: Services) -> None:
    """Before serving: the database answers (StartupError, one line), its schema is current,
    and the data key opens the stored reports (DataKeyError naming rotate-key)."""
    url = make_url(svc.settings.database_url)
    where = f"{url.drivername}://{url.host or ''}:{url.port or ''}/{url.database or ''}"
    try:
        async with asyncio.timeout(DATABASE_WAIT):
            await upgrade(svc.settings.database_url, engine=svc.sessions.kw["bind"])
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        reason = str(exc).splitlines()[0][:200] if str(exc) else type(exc).__name__
        raise StartupError(
            f"DATABASE_URL: cannot reach the database at {where}: {reason}"
        ) from None
    await check_data_key(svc.sessions, svc.cipher)


async def serve(settings: Settings, cipher: Cipher) -> None:
    """Serve until SIGTERM or SIGINT, then stop gracefully: no new requests, those under way
    answered, listeners and the outbox's current drain given STOP_GRACE seconds each."""
    logging.getLogger().setLevel(settings.log_level)
    svc = create_services(settings, cipher)
    await preflight(svc)
    await verify_start(svc)
    app = create_app(svc)
    web_app = create_web_app(svc, app, migrate=False, stop_grace=STOP_GRACE)  # preflight migrated
    runner = web.AppRunner(web_app, shutdown_timeout=STOP_GRACE)
    await runner.setup()
    try:
        site = web.TCPSite(runner, "0.0.0.0", settings.port)
        await site.start()
        log.info("listening on :%d (healthz, slack/events)", settings.port)
        # Built only now: the ~0.5 s of CPU in its thread holds the GIL, and before the port is
        # open it would slow the database check and every start-up step waiting on I/O.
        svc.matcher.warm_in_background()
        collect_after_start()
        stop = stop_requested()
        if settings.socket_mode:
            await _socket_mode(svc, app, stop)
        else:
            await stop.wait()
        log.info("stopping: finishing the work under way")
    finally:
        await runner.cleanup()
    log.info("stopped")


def collect_after_start() -> None:
    """Turn the cyclic collector back on (the console script, `bot/cli/__init__.py`, pauses
    it for start-up). What start-up built is long-lived by nature (modules, models, the Bolt
    app) and is frozen out of later passes so they stay short; a full pass first would block
    the loop ~0.1 s just as the first requests arrive, to free ~2,400 objects (~0.6 MB)."""
    gc.freeze()
    gc.enable()


def stop_requested() -> asyncio.Event:
    """An event set by SIGTERM (what container runtimes and service managers send) or SIGINT."""
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in (signal.SIGTERM, signal.SIGINT):
        loop.add_signal_handler(sig, stop.set)
    return stop


async def _socket_mode(svc: Services, app: AsyncApp, stop: asyncio.Event) -> None:
    from slack_bolt.adapter.socket_mode.async_handler import AsyncSocketModeHandler

    if svc.settings.slack_app_token is None:
        raise RuntimeError("SLACK_APP_TOKEN is required for Socket Mode")
    token = svc.settings.slack_app_token.get_secret_value()
    handler = AsyncSocketModeHandler(app, token, web_client=svc.gateway.client)
    await handler.connect_async()
    try:
        await stop.wait()
    finally:
        await handler.close_async()
