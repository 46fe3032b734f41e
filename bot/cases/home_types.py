"""What a Home shows, as plain values: the renderer (bot/delivery/render.py) takes these, so
this module imports no services, storage or delivery."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from bot.cases.domain import CaseView
from bot.digest.figures import DigestFigures

PAGE_SIZE = 25  # lines of the supervisors' queue a page shows; each takes at most two blocks


class Group(StrEnum):
    """The queue's groups, most urgent first (bot/cases/queue.py sorts into them)."""

    UNACKED = "unacked"
    STALE = "stale"
    MINE = "mine"
    OTHERS = "others"


@dataclass(frozen=True)
class QueueLine:
    """What one line of the queue shows: never the description or the customer."""

    id: int
    case_number: str
    behaviours: tuple[int, ...]
    suggested_behaviours: tuple[int, ...]
    urgent: bool
    created_at: datetime
    status: str
    acknowledged: bool
    owner_id: str | None
    group: Group
    permalink: str | None = None


@dataclass(frozen=True)
class QueuePage:
    lines: tuple[QueueLine, ...]  # this page's lines, in queue order
    counts: dict[Group, int]  # every open case per group, not only this page's
    held: int  # open cases the viewer holds, stale ones too
    total: int  # all open cases, also those beyond the queue's reading limit
    page: int  # 0-based, clamped to the pages there are
    pages: int
    as_of: datetime  # UTC; ages are counted to this moment

    @property
    def first(self) -> int:
        """1-based position of the first line shown (0 when the queue is empty)."""
        return self.page * PAGE_SIZE + 1 if self.lines else 0


@dataclass(frozen=True)
class HrWeeks:
    this_week: DigestFigures  # so far
    last_week: DigestFigures


@dataclass(frozen=True)
class HomeData:
    user: str
    own: list[CaseView]  # the person's own reports, newest first
    queue: QueuePage | None  # None unless a supervisor now
    hr: HrWeeks | None  # None unless an HR member now
