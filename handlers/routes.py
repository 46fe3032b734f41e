"""The one way a handler module registers its listeners: each is wrapped on the way in.

Every `register(routes)` receives a `Routes`, not the Bolt app, so no listener can be added
without the after-ack guard (handlers/after_ack.py) — a new surface gets it by construction.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Sequence
from typing import Any

from slack_bolt.async_app import AsyncApp
from slack_bolt.listener.asyncio_runner import AsyncioListenerRunner

from handlers.after_ack import Listener, contained

Decorator = Callable[[Listener], Listener]
Matchers = Sequence[Callable[..., Awaitable[bool]]] | None  # Bolt's listener matchers
Constraint = str | re.Pattern[str]


class Routes:
    """Bolt's listener decorators (action, view, command, shortcut, event), each returning a
    decorator that registers the listener wrapped by `contained`; `matchers` are Bolt's (the
    organisation rule, handlers/organisation.py); `middleware` passes through."""

    def __init__(self, app: AsyncApp) -> None:
        self._app = app

    def _guarded(self, register: Callable[[Listener], Any]) -> Decorator:
        def add(listener: Listener) -> Listener:
            register(contained(listener))
            return listener

        return add

    def action(self, constraint: Constraint, matchers: Matchers = None) -> Decorator:
        return self._guarded(self._app.action(constraint, matchers=matchers))

    def view(self, callback_id: Constraint, matchers: Matchers = None) -> Decorator:
        return self._guarded(self._app.view(callback_id, matchers=matchers))

    def command(self, command: str, matchers: Matchers = None) -> Decorator:
        return self._guarded(self._app.command(command, matchers=matchers))

    def shortcut(self, callback_id: str, matchers: Matchers = None) -> Decorator:
        return self._guarded(self._app.shortcut(callback_id, matchers=matchers))

    def event(self, event_type: str, matchers: Matchers = None) -> Decorator:
        return self._guarded(self._app.event(event_type, matchers=matchers))

    def middleware(self, middleware: Callable[..., Any]) -> None:
        self._app.middleware(middleware)

    def replace_middleware(self, builtin: type, replacement: Any) -> None:
        """Put `replacement` where Bolt placed its built-in middleware of type `builtin` (Bolt
        offers only switching a built-in off, which would also move it after ours)."""
        found = self._app._async_middleware_list
        for index, middleware in enumerate(found):
            if type(middleware) is builtin:
                found[index] = replacement

    def use_runner(self, replace: Callable[[AsyncioListenerRunner], AsyncioListenerRunner]) -> None:
        """Swap Bolt's listener runner for `replace(current)` (handlers/prompt_ack.py). Bolt
        has no setter: it builds its runner itself, and `app.error` sets the error handler
        on it, which `replace` carries over."""
        self._app._async_listener_runner = replace(self._app.listener_runner)
