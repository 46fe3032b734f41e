"""Helpers for the delivery-fault tests (issue 10): time passing, what reached whom."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from html import unescape
from typing import Any

from sqlmodel import select

from bot.demo.harness import SUPERVISORS, Harness
from storage.db import engine_for
from storage.models import OutboxMessage
from tests.app.helpers import alerts


async def drain_for(h: Harness, seconds: float, step: float = 1.0) -> None:
    """Let injected time pass in steps, delivering what falls due (no real waiting)."""
    passed = 0.0
    while passed < seconds:
        h.now.advance(seconds=step)
        passed += step
        await h.settle()


@asynccontextmanager
async def stalled(url: str, table: str = "report") -> AsyncIterator[None]:
    """Another session holds the lock that writing to `table` needs: connections stay open,
    and every insert into it waits in silence until it lets go (on SQLite, every write)."""
    async with engine_for(url) as engine, engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            await conn.exec_driver_sql(f"LOCK TABLE {table} IN EXCLUSIVE MODE")
        else:
            await conn.exec_driver_sql("SELECT 1")  # the connection began IMMEDIATE: locked
        yield


def dm_texts(h: Harness, user: str) -> list[str]:
    channel = h.standin.dm_channel(user)
    if channel is None:
        return []
    return [_text(m) for m in h.standin.messages(channel)]


def thread_texts(h: Harness, alert: dict[str, Any]) -> list[str]:
    return [_text(m) for m in h.standin.replies(SUPERVISORS, alert["ts"])]


def _text(message: dict[str, Any]) -> str:
    return json.dumps(message.get("blocks") or [], ensure_ascii=False) + message.get("text", "")


def full_description(h: Harness, alert: dict[str, Any]) -> str:
    """What supervisors can read of the description: the alert's part, then the thread's,
    unescaped as Slack shows them."""
    body = next(
        b["text"]["text"]
        for b in alert["blocks"]
        if b["type"] == "section" and "text" in b and b["text"]["text"].startswith("*内容*")
    )
    parts = [body.removeprefix("*内容*\n").removesuffix("…(続きはスレッドに投稿します)")]
    for reply in h.standin.replies(SUPERVISORS, alert["ts"]):
        if not reply.get("blocks"):  # a plain thread line (an action, a note)
            continue
        text = reply["blocks"][0]["text"]["text"]
        if "内容の続き" in text.split("\n", 1)[0]:
            parts.append(text.split("\n", 1)[1])
    return unescape("".join(parts))


async def outbox(h: Harness) -> list[OutboxMessage]:
    async with h.svc.sessions() as s:
        return list((await s.exec(select(OutboxMessage).order_by(OutboxMessage.id))).all())


def alert_count(h: Harness) -> int:
    return len(alerts(h))
