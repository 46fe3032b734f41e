"""Composition root: builds the services, the Bolt app and the aiohttp application."""

from __future__ import annotations

import asyncio
import functools
import importlib
import logging
import os
import socket
from collections.abc import AsyncIterator, Awaitable, Callable
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from aiohttp import web
from slack_bolt.adapter.aiohttp import to_aiohttp_response, to_bolt_request
from slack_bolt.async_app import AsyncApp, AsyncBoltContext
from slack_bolt.request.async_request import AsyncBoltRequest

import handlers
from bot.cases.home import home_view
from bot.cases.linking import Linker
from bot.clock import Clock
from bot.config import Settings
from bot.delivery.context import Delivery, HoldRules
from bot.delivery.holds import health as delivery_health
from bot.delivery.outbox import Deliverer
from bot.delivery.slack_client import make_client
from bot.delivery.slack_http import PooledRespond, PooledWebClient
from bot.delivery.slack_io import SlackGateway
from bot.logging_setup import bolt_logger
from bot.messages import catalog
from bot.policy.document import load_policy
from bot.policy.matcher import PolicyMatcher
from bot.privacy.crypto import Cipher
from bot.services import Services
from handlers.envelope import malformed
from handlers.messages import SlackRenderer
from storage.db import make_engine, make_sessions
from storage.migrate import upgrade

if TYPE_CHECKING:
    from bot.scheduler import GracefulScheduler  # types only: loaded in a thread at start

log = logging.getLogger("kasuhara")


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{id(object()):x}"


def create_services(settings: Settings, cipher: Cipher, *, clock: Clock | None = None) -> Services:
    """Everything but the Slack app; the engine is created here and disposed by the caller."""
    clock = clock or Clock.from_settings(settings.zone, settings.quiet_hours)
    policy = load_policy(settings.policy_path)
    matcher = PolicyMatcher(policy, lazy=True)  # built by `serve` once it listens
    cat = catalog(settings.language)
    gateway = SlackGateway(make_client(settings.bot_token, settings.slack_api_url))
    sessions = make_sessions(make_engine(settings.database_url))
    renderer = SlackRenderer(
        cat,
        policy,
        clock,
        settings.support_contacts,
        settings.direct_contact,
        settings.stale_business_days,
    )
    worker_id = worker_name()
    linker = Linker(cipher, policy, settings.link_threshold)
    delivery = Delivery(
        sessions=sessions,
        clock=clock,
        gateway=gateway,
        renderer=renderer,
        cipher=cipher,
        catalog=cat,
        worker_id=worker_id,
        lease=timedelta(seconds=settings.outbox_lease_seconds),
        rules=HoldRules(
            supervisor_channel=settings.supervisor_channel,
            escalation_users=settings.escalation_users,
            hold_recheck=timedelta(seconds=settings.hold_recheck_seconds),
            receipt_wait=timedelta(seconds=settings.receipt_wait_seconds),
        ),
        supervisor_view=linker.with_links,
    )
    svc = Services(
        settings=settings,
        sessions=sessions,
        cipher=cipher,
        clock=clock,
        catalog=cat,
        gateway=gateway,
        renderer=renderer,
        policy=policy,
        matcher=matcher,
        worker_id=worker_id,
        deliverer=Deliverer(delivery),
    )
    delivery.home = functools.partial(home_view, svc)
    return svc


def create_app(svc: Services) -> AsyncApp:
    settings = svc.settings
    app = AsyncApp(
        name="kasuhara-bot",  # else Bolt names it by walking the call stack (~50 ms at start)
        client=svc.gateway.client,
        signing_secret=settings.slack_signing_secret.get_secret_value(),
        process_before_response=False,
        logger=bolt_logger(),  # held above DEBUG: Bolt and slack_sdk log payloads there
        # Bolt calls auth.test on the first request; if Slack fails it, the person reads this
        # (Bolt's own default asks them to install the app).
        user_facing_authorize_error_message=svc.catalog.t("errors.slack_unreachable"),
    )

    @app.middleware
    async def inject_services(context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
        context["svc"] = svc
        # When the ack must be sent by, at the latest (loop time; KASUHARA_ACK_BUDGET_SECONDS).
        context["ack_deadline"] = asyncio.get_running_loop().time() + settings.ack_budget_seconds
        client = svc.gateway.client
        if context.response_url and isinstance(client, PooledWebClient):
            context["respond"] = PooledRespond(context.response_url, client)
        return await next()

    @app.error
    async def handle_error(error: Exception, body: dict[str, Any]) -> None:
        # Never log the body: it carries report and question text.
        kind = body.get("type") if isinstance(body, dict) else None
        kind = kind if isinstance(kind, str) and kind.isidentifier() else "?"
        log.error("listener failed: %s (%s)", type(error).__name__, kind, exc_info=error)

    handlers.register_all(app)
    return app


async def _readable(request: web.Request) -> AsyncBoltRequest | None:
    """The request as Bolt sees it, or None when it cannot have come from Slack. Bolt parses
    the body (and reads its fields) before checking the signature, and answers 500 to shapes
    it trips over, so those are refused here with 400."""
    try:
        bolt_request = await to_bolt_request(request)
    except Exception as exc:  # not UTF-8, not JSON, or fields of the wrong type
        log.warning("unreadable request refused: %s", type(exc).__name__)
        return None
    field = malformed(bolt_request.body)
    if field is not None:
        log.warning("malformed request refused: field %s", field)
        return None
    return bolt_request


async def _start_scheduler(svc: Services) -> GracefulScheduler | None:
    """The scheduler is not needed to answer Slack: APScheduler is imported in a thread while
    the server starts listening (its import and entry-point scan take ~0.2 s), then started
    here; its jobs' first runs then catch up on whatever fell due while the app was down."""
    if not svc.settings.scheduler_enabled:
        return None
    module = await asyncio.to_thread(importlib.import_module, "bot.scheduler")
    scheduler: GracefulScheduler = module.start_scheduler(svc)
    return scheduler


async def _stop_starting(task: asyncio.Task[GracefulScheduler | None]) -> GracefulScheduler | None:
    """The scheduler if it got started; a start still under way is cancelled."""
    if not task.done():
        task.cancel()
    try:
        return await task
    except asyncio.CancelledError:
        return None
    except Exception:
        log.exception("the scheduler did not start")
        return None


def create_web_app(
    svc: Services, app: AsyncApp, *, migrate: bool = True, stop_grace: float = 0.0
) -> web.Application:
    """The aiohttp application: POST /slack/events, GET /healthz; its cleanup context starts
    the scheduler and the outbox and, on the way down, gives the listeners still working after
    their ack and the outbox's current drain up to `stop_grace` seconds each."""

    async def slack_events(request: web.Request) -> web.Response:
        bolt_request = await _readable(request)
        if bolt_request is None:
            return web.Response(status=400, text="bad request")
        try:
            bolt_response = await app.async_dispatch(bolt_request)
        except Exception as exc:  # Bolt's own code trips over some malformed (signed) bodies
            log.warning("request not dispatched: %s", type(exc).__name__)
            return web.Response(status=400, text="bad request")
        return await to_aiohttp_response(bolt_response)

    async def healthz(_: web.Request) -> web.Response:
        """200 {"ok": true} when all is well. Degraded (a channel, token or contact needs a
        fix in Slack; messages held): still 200, since restarting cannot fix it, with
        "status": "degraded" and the reasons. 503 when the database does not answer."""
        reasons = [f"{k}: {v}" for k, v in sorted(svc.deliverer.problems.items())]
        try:
            reasons += await delivery_health(svc.sessions)
        except Exception as exc:  # the database is away
            return web.json_response(
                {"ok": False, "status": "down", "reasons": [f"database: {type(exc).__name__}"]},
                status=503,
            )
        if reasons:
            return web.json_response({"ok": False, "status": "degraded", "reasons": reasons})
        return web.json_response({"ok": True, "status": "ok"})

    async def lifecycle(_: web.Application) -> AsyncIterator[None]:
        if migrate:
            await upgrade(svc.settings.database_url)
        scheduling = asyncio.create_task(_start_scheduler(svc))
        svc.deliverer.kick()  # whatever was pending before a restart goes out now
        yield
        unfinished = await handlers.finish_listeners(stop_grace)
        if unfinished:
            log.warning(
                "stopping with %d listener(s) unfinished after %.0f s", unfinished, stop_grace
            )
        scheduler = await _stop_starting(scheduling)
        if scheduler is not None:
            cut = await scheduler.stop(stop_grace)
            if cut:
                log.warning("stopping with %d scheduled job(s) cut short", cut)
        await svc.deliverer.close(grace=stop_grace)
        await svc.gateway.close()
        await svc.sessions.kw["bind"].dispose()

    web_app = web.Application(client_max_size=1024 * 1024)
    web_app.add_routes([web.post("/slack/events", slack_events), web.get("/healthz", healthz)])
    web_app.cleanup_ctx.append(lifecycle)
    return web_app
