"""Delivery keys this process has already taken, kept in memory beside the database's record."""

from __future__ import annotations

from collections import OrderedDict


class RecentKeys:
    """The last `size` keys taken here, oldest first out. A retry from Slack that arrives while
    the database is too slow to say whether its key is recorded is still known to be one, as
    long as it reaches the process that took the first copy (bot/delivery/idempotency.py)."""

    def __init__(self, size: int = 10_000) -> None:
        self._keys: OrderedDict[str, None] = OrderedDict()
        self._size = size

    def take(self, key: str) -> bool:
        """True the first time this process sees `key` (among its last `size`)."""
        if key in self._keys:
            self._keys.move_to_end(key)
            return False
        self._keys[key] = None
        if len(self._keys) > self._size:
            self._keys.popitem(last=False)
        return True
