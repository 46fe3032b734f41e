"""Answering Slack the moment a listener acks.

Without process_before_response, Bolt's asyncio runner starts the listener in a task and
then polls `ack.response` every 10 ms, so every answer waits for the next tick: ~10 ms added
to an ack that took under 1 ms, and 10 ms more whenever the listener's work before its ack
crosses a tick. Here the runner waits on an event that ack() sets instead. Everything else is
Bolt's: the same listener error, start and completion handlers, the same ack timeout, the
same answer when the listener never acks or fails first; lazy listeners and
process_before_response keep Bolt's own runner.
"""

from __future__ import annotations

import asyncio
import contextlib
import time
from collections.abc import Awaitable, Callable
from typing import Any

from slack_bolt.async_app import AsyncBoltContext
from slack_bolt.context.ack.async_ack import AsyncAck
from slack_bolt.listener.async_listener import AsyncListener
from slack_bolt.listener.asyncio_runner import AsyncioListenerRunner
from slack_bolt.logger.messages import warning_did_not_call_ack
from slack_bolt.request.async_request import AsyncBoltRequest
from slack_bolt.response import BoltResponse

from handlers.routes import Routes

_RUNNING: set[asyncio.Future[None]] = set()  # listener tasks, held until done


class PromptAck(AsyncAck):
    """Bolt's ack(), also waking the runner that waits for it."""

    def __init__(self) -> None:
        super().__init__()  # type: ignore[no-untyped-call]
        self.given = asyncio.Event()

    async def __call__(self, *args: Any, **kwargs: Any) -> BoltResponse:
        try:
            return await super().__call__(*args, **kwargs)
        finally:
            self.given.set()


class PromptRunner(AsyncioListenerRunner):
    async def run(
        self,
        request: AsyncBoltRequest,
        response: BoltResponse | None,  # None once a custom middleware ran (Bolt's typing says not)
        listener_name: str,
        listener: AsyncListener,
        starting_time: float | None = None,
    ) -> BoltResponse | None:
        """Run the listener in a task; return its ack as soon as it is given."""
        ack = request.context.ack
        if (
            self.process_before_response
            or request.lazy_only
            or listener.lazy_functions
            or not isinstance(ack, PromptAck)
        ):
            bolt_typed: Any = response  # Bolt's own runner takes None as well
            return await super().run(request, bolt_typed, listener_name, listener, starting_time)
        started = starting_time if starting_time is not None else time.time()
        if listener.auto_acknowledgement:
            await ack()  # events: acknowledged before the listener runs, as Bolt does
        task = asyncio.ensure_future(
            self.run_ack_function_asynchronously(ack, request, response, listener)
        )
        _RUNNING.add(task)
        task.add_done_callback(_RUNNING.discard)
        left = listener.ack_timeout - (time.time() - started)
        with contextlib.suppress(TimeoutError):  # no ack in time: answered as Bolt does
            await asyncio.wait_for(ack.given.wait(), max(0.0, left))
        if response is None and ack.response is None:
            self.logger.warning(warning_did_not_call_ack(listener_name))
            return None
        return ack.response if response is None else response

    async def run_ack_function_asynchronously(  # Bolt's name: bot.demo.harness waits on it
        self,
        ack: PromptAck,
        request: AsyncBoltRequest,
        response: BoltResponse | None,
        listener: AsyncListener,
    ) -> None:
        """Bolt's run_ack_function_asynchronously, waking the runner when it ends too."""
        try:
            await self.listener_start_handler.handle(request=request, response=response)
            await listener.run_ack_function(request=request, response=response)  # type: ignore[arg-type]
        except Exception as e:
            if response is None:
                response = BoltResponse(status=500)
            response.status = 500
            if ack.response is not None:  # already acknowledged: the answer stands
                response = None
            await self.listener_error_handler.handle(error=e, request=request, response=response)
            ack.response = response
        finally:
            ack.given.set()
            await self.listener_completion_handler.handle(request=request, response=response)


async def prompt_ack(context: AsyncBoltContext, next: Callable[[], Awaitable[Any]]) -> Any:
    if context.get("ack") is None or context.ack.response is None:
        context["ack"] = PromptAck()
    return await next()


async def finish_listeners(grace: float) -> int:
    """Wait up to `grace` seconds for the listeners still working after their ack (a
    modal being opened, a report's follow-up steps); returns how many had not finished. Used
    when the app stops, after the server has stopped taking requests."""
    running = [task for task in _RUNNING if not task.done()]
    if not running:
        return 0
    _, pending = await asyncio.wait(running, timeout=grace)
    return len(pending)


def replacing(old: AsyncioListenerRunner) -> PromptRunner:
    """A PromptRunner with `old`'s logger and handlers (the app's error handler among them)."""
    return PromptRunner(
        logger=old.logger,
        process_before_response=old.process_before_response,
        listener_error_handler=old.listener_error_handler,
        listener_start_handler=old.listener_start_handler,
        listener_completion_handler=old.listener_completion_handler,
        lazy_listener_runner=old.lazy_listener_runner,
    )


def register(app: Routes) -> None:
    """Install the runner and the ack it waits on."""
    app.use_runner(replacing)
    app.middleware(prompt_ack)
