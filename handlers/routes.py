"""The one way a handler module registers its listeners: each is wrapped on the way in.

Every `register(routes)` receives a `Routes`, not the Bolt app, so no listener can be added
without the after-ack guard (handlers/after_ack.py) — a new surface gets it by construction.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from slack_bolt.async_app import AsyncApp

from handlers.after_ack import Listener, contained

Decorator = Callable[[Listener], Listener]


class Routes:
    """Bolt's listener decorators (action, view, command, shortcut, event), each returning a
    decorator that registers the listener wrapped by `contained`; `middleware` passes through."""

    def __init__(self, app: AsyncApp) -> None:
        self._app = app

    def _guarded(self, register: Callable[[Listener], Any]) -> Decorator:
        def add(listener: Listener) -> Listener:
            register(contained(listener))
            return listener

        return add

    def action(self, constraint: str) -> Decorator:
        return self._guarded(self._app.action(constraint))

    def view(self, callback_id: str) -> Decorator:
        return self._guarded(self._app.view(callback_id))

    def command(self, command: str) -> Decorator:
        return self._guarded(self._app.command(command))

    def shortcut(self, callback_id: str) -> Decorator:
        return self._guarded(self._app.shortcut(callback_id))

    def event(self, event_type: str) -> Decorator:
        return self._guarded(self._app.event(event_type))

    def middleware(self, middleware: Callable[..., Any]) -> None:
        self._app.middleware(middleware)
