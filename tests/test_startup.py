"""Start-up loads only what answering Slack needs: Alembic only when the schema is behind."""

from __future__ import annotations

from pathlib import Path

from storage.migrate import at_head, head_revisions, upgrade


def test_heads_are_read_from_the_scripts() -> None:
    """The same heads Alembic finds, without importing it at start-up."""
    from alembic.script import ScriptDirectory

    from storage.migrate import alembic_config

    expected = ScriptDirectory.from_config(alembic_config("sqlite://")).get_heads()
    assert head_revisions() == frozenset(expected)


def test_unreadable_script_means_unknown(tmp_path: Path) -> None:
    (tmp_path / "0001_x.py").write_text("revision = compute()\n")
    assert head_revisions(tmp_path) is None


async def test_at_head_only_after_upgrade(sqlite_url: str) -> None:
    assert not await at_head(sqlite_url)  # no alembic_version table yet
    await upgrade(sqlite_url)
    assert await at_head(sqlite_url)
    await upgrade(sqlite_url)  # nothing to do: Alembic is not run
