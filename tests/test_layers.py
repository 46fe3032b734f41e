"""The import graph, read from the source with `ast`: the arrows of the architecture hold.

handlers → bot → storage; only the composition root (bot/app.py) imports handlers; the Slack
stand-in imports nothing of the app; and no module reaches itself again through its imports —
counting imports inside functions and under TYPE_CHECKING, which hide a cycle rather than end it.
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
PACKAGES = ("bot", "handlers", "storage", "slack_standin")
COMPOSITION_ROOT = "bot.app"


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _absolute(module: str, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    is_package = MODULES[module].name == "__init__.py"
    base = module.split(".")[: len(module.split(".")) - node.level + (1 if is_package else 0)]
    return ".".join([*base, *([node.module] if node.module else [])])


def _names(module: str) -> Iterator[str]:
    """Every name this module imports, anywhere in the file, as an absolute dotted path."""
    tree = ast.parse(MODULES[module].read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            source = _absolute(module, node)
            yield from (f"{source}.{alias.name}" for alias in node.names)


def _imported(module: str) -> Iterator[str]:
    """The modules this one imports: `from a import b` is `a.b` when b is a module of ours,
    else `a`."""
    for name in _names(module):
        yield name if name in MODULES or "." not in name else name.rsplit(".", 1)[0]


def _graph() -> dict[str, set[str]]:
    return {m: {t for t in _imported(m) if t in MODULES and t != m} for m in MODULES}


GRAPH = _graph()


def _layer(module: str) -> str:
    return module.split(".")[0]


def _offenders(layer: str, forbidden: set[str], allowed: set[str] = frozenset()) -> list[str]:
    return sorted(
        f"{m} -> {t}"
        for m, targets in GRAPH.items()
        if _layer(m) == layer and m not in allowed
        for t in targets
        if _layer(t) in forbidden
    )


def test_the_graph_was_read() -> None:
    # A parser that found nothing would pass every test below.
    assert {"bot.app", "handlers", "storage.models", "slack_standin.server"} <= MODULES.keys()
    assert "handlers" in GRAPH["bot.app"] and "storage.models" in GRAPH["storage.reports"]


def test_storage_imports_neither_bot_nor_handlers() -> None:
    assert _offenders("storage", {"bot", "handlers", "slack_standin"}) == []


def test_only_the_composition_root_imports_handlers() -> None:
    assert _offenders("bot", {"handlers"}, allowed={COMPOSITION_ROOT}) == []


def test_handlers_touch_no_database() -> None:
    """No SQL at the Slack edge: the domain raises its own errors (e.g. ReportNotSaved)."""
    database = ("storage", "sqlalchemy", "sqlmodel", "asyncpg", "aiosqlite")
    found = sorted(
        f"{m} -> {name}"
        for m in MODULES
        if _layer(m) == "handlers"
        for name in _imported(m)
        if name.split(".")[0] in database
    )
    assert found == []


def test_listeners_are_added_only_through_routes() -> None:
    """handlers/routes.py wraps every listener in the after-ack guard; a module holding the
    Bolt app itself could add one without it."""
    holders = sorted(
        m
        for m in MODULES
        if _layer(m) == "handlers" and "slack_bolt.async_app.AsyncApp" in set(_names(m))
    )
    assert holders == ["handlers", "handlers.routes"]


def test_the_standin_imports_nothing_of_the_app() -> None:
    assert _offenders("slack_standin", {"bot", "handlers", "storage"}) == []


def _cycle_from(start: str) -> list[str] | None:
    path: list[str] = []
    on_path: set[str] = set()

    def visit(node: str) -> list[str] | None:
        if node in on_path:
            return [*path[path.index(node) :], node]
        if node in done:
            return None
        path.append(node)
        on_path.add(node)
        for target in sorted(GRAPH[node]):
            if found := visit(target):
                return found
        path.pop()
        on_path.discard(node)
        done.add(node)
        return None

    return visit(start)


done: set[str] = set()


def test_no_import_cycle() -> None:
    done.clear()
    found = [c for m in sorted(MODULES) if (c := _cycle_from(m))]
    cycles = list({frozenset(c): c for c in found}.values())
    assert cycles == [], " ; ".join(" -> ".join(c) for c in cycles)


@pytest.mark.parametrize(
    ("graph", "expected"),
    [({"a": {"b"}, "b": {"a"}}, ["a", "b", "a"]), ({"a": {"b"}, "b": set()}, None)],
)
def test_the_cycle_finder_finds_one(
    graph: dict[str, set[str]], expected: list[str] | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(f"{__name__}.GRAPH", graph)
    done.clear()
    assert _cycle_from("a") == expected
