"""Schema upgrades with Alembic, callable from the CLI and at start-up.

Alembic costs ~0.6 s and ~11 MB to import; at start-up the database is nearly always at head
already, which one SELECT tells (`at_head`), so Alembic is loaded only when there is work.
"""

from __future__ import annotations

import ast
import asyncio
import contextlib
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from storage.db import engine_for

if TYPE_CHECKING:
    from alembic.config import Config
    from sqlalchemy.ext.asyncio import AsyncEngine

_INI = Path(__file__).with_name("alembic.ini")
_VERSIONS = _INI.with_name("migrations") / "versions"


def alembic_config(url: str) -> Config:
    from alembic.config import Config

    config = Config(str(_INI))
    config.set_main_option("script_location", str(_INI.with_name("migrations")))
    config.set_main_option("sqlalchemy.url", url.replace("%", "%%"))
    return config


def upgrade_sync(url: str, revision: str = "head") -> None:
    from alembic import command

    command.upgrade(alembic_config(url), revision)


def head_revisions(versions: Path = _VERSIONS) -> frozenset[str] | None:
    """The heads of the migration graph, read from the scripts' `revision` and `down_revision`
    assignments without importing Alembic; None when a script does not say them plainly."""
    revisions: set[str] = set()
    parents: set[str] = set()
    for script in versions.glob("*.py"):
        found = _assignments(script.read_text(encoding="utf-8"))
        revision = found.get("revision")
        if not isinstance(revision, str):
            return None
        revisions.add(revision)
        down = found.get("down_revision")
        if isinstance(down, str):
            parents.add(down)
        elif isinstance(down, tuple | list):
            parents.update(str(d) for d in down)
        elif down is not None:
            return None
    return frozenset(revisions - parents) or None


def _assignments(source: str) -> dict[str, object]:
    values: dict[str, object] = {}
    for node in ast.parse(source).body:
        target: ast.expr | None = None
        if isinstance(node, ast.AnnAssign):
            target = node.target
        elif isinstance(node, ast.Assign) and len(node.targets) == 1:
            target = node.targets[0]
        value = getattr(node, "value", None)
        if isinstance(target, ast.Name) and value is not None:
            try:
                values[target.id] = ast.literal_eval(value)
            except ValueError:
                continue
    return values


async def at_head(url: str, engine: AsyncEngine | None = None) -> bool:
    """Whether the database's alembic_version names exactly the scripts' heads (False when it
    cannot tell: no such table yet, an unreadable script). Asked through `engine` when given
    (the app's own, so start-up connects once), else through one made for `url`."""
    heads = head_revisions()
    if heads is None:
        return False
    try:
        async with contextlib.AsyncExitStack() as stack:
            if engine is None:
                engine = await stack.enter_async_context(engine_for(url))
            conn = await stack.enter_async_context(engine.connect())
            rows = await conn.execute(text("SELECT version_num FROM alembic_version"))
            return frozenset(str(r[0]) for r in rows) == heads
    except SQLAlchemyError:
        return False


async def upgrade(url: str, revision: str = "head", engine: AsyncEngine | None = None) -> None:
    """Bring the schema to `revision` with Alembic, unless it is asked for head and already
    there (one SELECT, through `engine` when given)."""
    if revision == "head" and await at_head(url, engine):
        return
    # Alembic's env runs its own event loop, so it gets a thread of its own.
    await asyncio.to_thread(upgrade_sync, url, revision)
