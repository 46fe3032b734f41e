"""What the domain needs from the Slack edge: messages built from a case.

The composition root hands in an implementation (handlers/messages.py), so the domain can
send alerts and DMs from background jobs without importing the Slack edge.
"""

from __future__ import annotations

from typing import Any, Protocol

from bot.cases.domain import CaseView
from bot.cases.home_types import HomeData
from bot.digest.figures import DigestFigures

Message = dict[str, Any]


class Renderer(Protocol):
    def alert(self, case: CaseView) -> Message: ...

    def safe_alert(self, case: CaseView) -> Message:
        """The alert as plain text only: what Slack takes when it refused the blocks."""
        ...

    def description_parts(self, case: CaseView) -> list[Message]:
        """Thread messages carrying what of the description did not fit in the alert."""
        ...

    def receipt(self, case: CaseView, reached: bool = True) -> Message:
        """The reporter's receipt; `reached` False says the supervisors were not reached yet
        and whom to contact directly."""
        ...

    def checkin(self, case: CaseView, followup_id: int) -> Message: ...

    def text(self, text: str) -> Message: ...

    def digest(self, figures: DigestFigures) -> Message: ...

    def home(self, data: HomeData) -> Message: ...
