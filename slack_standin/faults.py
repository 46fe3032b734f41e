"""Fault injection (fail_next, set_delay) and chat.postMessage pacing."""

from __future__ import annotations

import math
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Fault:
    status: int = 200
    error: str | None = None
    retry_after: int | None = None
    text: str | None = None  # a non-JSON body (a proxy's or load balancer's error page)
    # Slack did the work, then the answer was lost: a 5xx after the effect, or (with `reset`)
    # the connection dropped before any answer. Real Slack does both; a caller that retries
    # such a call blindly does the work twice.
    after: bool = False
    reset: bool = False

    def body(self) -> dict[str, object]:
        if self.status == 429:
            return {"ok": False, "error": "ratelimited"}
        if self.status >= 500:
            return {"ok": False, "error": self.error or "internal_error"}
        return {"ok": False, "error": self.error or "fatal_error"}

    def headers(self) -> dict[str, str]:
        if self.status == 429:
            return {"Retry-After": str(self.retry_after if self.retry_after is not None else 1)}
        return {}


@dataclass
class TokenBucket:
    """About `rate` posts per second with bursts of `capacity` (Slack's ~1/s/channel)."""

    clock: Callable[[], float]
    capacity: float = 5.0
    rate: float = 1.0
    tokens: float = 5.0
    updated: float | None = None

    def take(self) -> int | None:
        """None when allowed; otherwise the Retry-After seconds."""
        now = self.clock()
        if self.updated is not None:
            self.tokens = min(self.capacity, self.tokens + (now - self.updated) * self.rate)
        self.updated = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return None
        return max(1, math.ceil((1.0 - self.tokens) / self.rate))


@dataclass
class Faults:
    clock: Callable[[], float]
    pending: dict[str, deque[Fault]] = field(default_factory=dict)
    delays: dict[str, float] = field(default_factory=dict)
    buckets: dict[str, TokenBucket] = field(default_factory=dict)

    def fail_next(
        self,
        method: str,
        times: int = 1,
        status: int | None = None,
        error: str | None = None,
        retry_after: int | None = None,
        text: str | None = None,
        after: bool = False,
        reset: bool = False,
    ) -> None:
        if status is None:
            status = 200 if error else 500
        if status == 200 and not error and not reset:
            raise ValueError("an HTTP 200 fault needs an error code")
        queue = self.pending.setdefault(method, deque())
        queue.extend(Fault(status, error, retry_after, text, after, reset) for _ in range(times))

    def take(self, method: str) -> Fault | None:
        queue = self.pending.get(method)
        return queue.popleft() if queue else None

    def pace(self, channel_id: str) -> int | None:
        bucket = self.buckets.get(channel_id)
        if bucket is None:
            bucket = self.buckets[channel_id] = TokenBucket(self.clock)
        return bucket.take()
