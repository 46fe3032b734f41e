"""The message catalogue: every word the users see, looked up by dotted key."""

from __future__ import annotations

import tomllib
from functools import cache
from pathlib import Path
from typing import Any

_DIR = Path(__file__).parent


class Catalog:
    def __init__(self, entries: dict[str, Any], fallback: Catalog | None = None) -> None:
        self._entries = entries
        self._fallback = fallback

    def t(self, key: str, **values: object) -> str:
        """The text for `key`, formatted; a missing key is a programming error, not a user's."""
        node: Any = self._entries
        for part in key.split("."):
            if not isinstance(node, dict) or part not in node:
                if self._fallback is not None:
                    return self._fallback.t(key, **values)
                raise KeyError(f"message {key!r} is not in the catalogue")
            node = node[part]
        return str(node).format(**values) if values else str(node)

    def has(self, key: str) -> bool:
        try:
            self.t(key)
        except (KeyError, IndexError):
            return False
        return True


@cache
def catalog(language: str = "ja") -> Catalog:
    japanese = Catalog(tomllib.loads((_DIR / "ja.toml").read_text("utf-8")))
    if language == "ja":
        return japanese
    return Catalog(tomllib.loads((_DIR / f"{language}.toml").read_text("utf-8")), japanese)
