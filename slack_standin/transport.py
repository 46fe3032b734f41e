"""How Slack's requests reach the app: signed HTTP POSTs or Socket Mode envelopes.

Either way the elapsed time until the acknowledgement is measured against Slack's 3 s deadline.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import time
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

import aiohttp

if TYPE_CHECKING:
    from slack_standin.server import SlackStandin

ACK_DEADLINE = 3.0


@dataclass
class DriverResponse:
    status: int  # HTTP status; 200 for a Socket Mode ack; 0 when nothing came back in time
    body: str
    json: dict[str, Any] | None
    elapsed: float
    late: bool = False
    headers: dict[str, str] = field(default_factory=dict)


def signature(secret: str, timestamp: str, body: bytes) -> str:
    base = b"v0:" + timestamp.encode() + b":" + body
    return "v0=" + hmac.new(secret.encode(), base, hashlib.sha256).hexdigest()


def _parse(text: str) -> dict[str, Any] | None:
    try:
        value = json.loads(text) if text else None
    except json.JSONDecodeError:
        return None
    return value if isinstance(value, dict) else None


def encode(kind: str, payload: dict[str, Any]) -> tuple[bytes, str]:
    """The HTTP body Slack uses for each kind of request."""
    if kind == "slash_commands":
        return urllib.parse.urlencode(payload).encode(), "application/x-www-form-urlencoded"
    if kind == "interactive":
        form = {"payload": json.dumps(payload, ensure_ascii=False)}
        return urllib.parse.urlencode(form).encode(), "application/x-www-form-urlencoded"
    return json.dumps(payload, ensure_ascii=False).encode(), "application/json"


class Transport:
    def __init__(
        self,
        standin: SlackStandin,
        app_url: str,
        signing_secret: str,
        socket_mode: bool,
        timeout: float,
    ) -> None:
        self.standin = standin
        self.app_url = app_url
        self.signing_secret = signing_secret
        self.socket_mode = socket_mode
        self.timeout = timeout  # how long to keep waiting after the 3 s deadline, to measure
        self.clock: Callable[[], float] = time.time  # signing timestamps only
        self.late_acks: list[dict[str, Any]] = []
        self.deliveries: list[dict[str, Any]] = []

    async def send_raw(
        self,
        body: bytes,
        content_type: str,
        signature_override: str | None = None,
        timestamp_override: str | None = None,
        headers: dict[str, str] | None = None,
    ) -> DriverResponse:
        timestamp = timestamp_override or str(int(self.clock()))
        sent = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": timestamp,
            "X-Slack-Signature": signature_override
            or signature(self.signing_secret, timestamp, body),
            "User-Agent": "Slackbot 1.0 (+https://api.slack.com/robots)",
            **(headers or {}),
        }
        started = time.monotonic()
        try:
            timeout = aiohttp.ClientTimeout(total=self.timeout)
            async with (
                aiohttp.ClientSession(timeout=timeout) as session,
                session.post(self.app_url, data=body, headers=sent) as resp,
            ):
                text, status, got = await resp.text(), resp.status, dict(resp.headers)
        except TimeoutError:
            return DriverResponse(0, "", None, time.monotonic() - started, late=True)
        elapsed = time.monotonic() - started
        return DriverResponse(status, text, _parse(text), elapsed, elapsed > ACK_DEADLINE, got)

    async def deliver(
        self,
        kind: str,
        payload: dict[str, Any],
        retry_num: int | None = None,
        retry_reason: str | None = None,
    ) -> DriverResponse:
        if self.socket_mode:
            resp = await self._via_socket(kind, payload, retry_num, retry_reason)
        else:
            body, content_type = encode(kind, payload)
            headers = {}
            if retry_num:
                headers["X-Slack-Retry-Num"] = str(retry_num)
                headers["X-Slack-Retry-Reason"] = retry_reason or "http_timeout"
            resp = await self.send_raw(body, content_type, headers=headers)
        self._record(kind, payload, resp, retry_num)
        return resp

    async def _via_socket(
        self, kind: str, payload: dict[str, Any], retry_num: int | None, reason: str | None
    ) -> DriverResponse:
        accepts = kind == "slash_commands" or payload.get("type") in (
            "view_submission",
            "block_suggestion",
        )
        envelope: dict[str, Any] = {"type": kind, "payload": payload}
        envelope["accepts_response_payload"] = accepts
        if kind == "events_api":
            envelope |= {"retry_attempt": retry_num or 0, "retry_reason": reason or ""}
        ack = await self.standin.sockets.deliver(envelope, self.timeout)
        if ack is None:
            return DriverResponse(0, "", None, self.timeout, late=True)
        body = json.dumps(ack.payload) if ack.payload is not None else ""
        return DriverResponse(200, body, ack.payload, ack.elapsed, ack.elapsed > ACK_DEADLINE)

    def _record(
        self, kind: str, payload: dict[str, Any], resp: DriverResponse, retry_num: int | None
    ) -> None:
        what = payload.get("command") or payload.get("type")
        if kind == "events_api":
            what = payload.get("event", {}).get("type")
        entry = {"kind": kind, "what": what, "status": resp.status, "elapsed": resp.elapsed}
        entry["retry_num"] = retry_num
        self.deliveries.append(entry)
        if resp.late:
            self.late_acks.append(entry)
