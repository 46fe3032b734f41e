"""Socket Mode: the WebSocket behind apps.connections.open's URL."""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import dataclass
from typing import Any

from aiohttp import WSMsgType, web

from slack_standin.state import State


@dataclass
class Ack:
    envelope_id: str
    payload: dict[str, Any] | None  # what the app sent back with the ack, if anything
    elapsed: float


class SocketHub:
    """Tracks app connections, sends envelopes and matches acks by envelope_id."""

    def __init__(self, state: State) -> None:
        self.state = state
        self.connections: list[web.WebSocketResponse] = []
        self.received: list[dict[str, Any]] = []  # every frame the app sent
        self.sent: list[dict[str, Any]] = []  # every frame the stand-in sent
        self.hellos = 0
        self._pending: dict[str, asyncio.Future[dict[str, Any]]] = {}

    async def handle(self, request: web.Request) -> web.StreamResponse:
        ticket = request.query.get("ticket", "")
        if ticket not in self.state.socket_tickets:
            return web.Response(status=401, text="invalid ticket")
        self.state.socket_tickets.discard(ticket)  # a URL connects once, as Slack's do
        ws = web.WebSocketResponse(autoping=True)
        await ws.prepare(request)
        self.connections.append(ws)
        await self._send(ws, self._hello())
        self.hellos += 1
        try:
            async for frame in ws:
                if frame.type == WSMsgType.TEXT:
                    self._on_text(frame.data)
        finally:
            self.connections.remove(ws)
        return ws

    def _hello(self) -> dict[str, Any]:
        return {
            "type": "hello",
            "num_connections": len(self.connections),
            "debug_info": {"host": "applink-standin", "approximate_connection_time": 18060},
            "connection_info": {"app_id": self.state.workspace.app_id},
        }

    def _on_text(self, data: str) -> None:
        try:
            message = json.loads(data)
        except json.JSONDecodeError:
            message = {"unparsable": data}
        self.received.append(message)
        future = self._pending.pop(str(message.get("envelope_id")), None)
        if future is not None and not future.done():
            future.set_result(message)

    async def _send(self, ws: web.WebSocketResponse, message: dict[str, Any]) -> None:
        self.sent.append(message)
        await ws.send_str(json.dumps(message))

    async def wait_connected(self, within: float = 5.0) -> None:
        deadline = time.monotonic() + within
        while not self._live():
            if time.monotonic() > deadline:
                raise TimeoutError("no Socket Mode connection")
            await asyncio.sleep(0.02)

    def _live(self) -> list[web.WebSocketResponse]:
        return [ws for ws in self.connections if not ws.closed]

    async def deliver(self, envelope: dict[str, Any], wait: float) -> Ack | None:
        """Send one envelope to the newest connection; None if no ack within `wait` s."""
        live = self._live()
        if not live:
            raise RuntimeError("no Socket Mode connection; is the app's handler running?")
        envelope = {"envelope_id": str(uuid.uuid4()), **envelope}
        future: asyncio.Future[dict[str, Any]] = asyncio.get_running_loop().create_future()
        self._pending[envelope["envelope_id"]] = future
        started = time.monotonic()
        await self._send(live[-1], envelope)
        try:
            ack = await asyncio.wait_for(future, wait)
        except TimeoutError:
            self._pending.pop(envelope["envelope_id"], None)
            return None
        return Ack(envelope["envelope_id"], ack.get("payload"), time.monotonic() - started)

    async def disconnect(self, reason: str = "refresh_requested") -> None:
        """Ask the app to reconnect; it calls apps.connections.open again and drops this one."""
        message = {
            "type": "disconnect",
            "reason": reason,
            "debug_info": {"host": "applink-standin"},
        }
        for ws in self._live():
            await self._send(ws, message)

    async def close_all(self) -> None:
        for ws in list(self.connections):
            await ws.close()
