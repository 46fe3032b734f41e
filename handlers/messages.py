"""The Block Kit side of the domain's Renderer: alerts, receipts and check-ins."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from bot.cases.domain import CaseView
from bot.cases.home_types import HomeData
from bot.clock import Clock
from bot.digest.figures import DigestFigures, behaviour_labels
from bot.messages import Catalog
from bot.policy.document import PolicyDocument
from handlers.alert_view import (
    build_alert,
    build_description_parts,
    build_safe_alert,
    format_time,
)
from handlers.digest_view import build_digest_message
from handlers.home_view import build_home
from handlers.ids import Action, Block
from handlers.slack_limits import SECTION_TEXT_MAX
from handlers.text import button, clip, quote, section

Message = dict[str, Any]


class SlackRenderer:
    def __init__(
        self,
        cat: Catalog,
        policy: PolicyDocument,
        clock: Clock,
        support: str,
        direct_contact: str = "",
        stale_days: int = 3,
    ) -> None:
        self.cat = cat
        self.stale_days = stale_days
        self.policy = policy
        self.clock = clock
        self.support = support or cat.t("dm.support_default")
        self.direct_contact = direct_contact or cat.t("dm.direct_contact_default")
        self.labels = {p.behaviour: p.text for p in policy.behaviours() if p.behaviour}

    def _fmt(self, moment: datetime) -> str:
        return format_time(self.clock.local(moment))

    def alert(self, case: CaseView) -> Message:
        return build_alert(case, self.cat, self.labels, self._fmt)

    def safe_alert(self, case: CaseView) -> Message:
        return build_safe_alert(case, self.cat, self.labels, self._fmt)

    def description_parts(self, case: CaseView) -> list[Message]:
        return build_description_parts(case, self.cat)

    def receipt(self, case: CaseView, reached: bool = True) -> Message:
        cat = self.cat
        lines = [cat.t("dm.safety_first")] if case.urgent else []
        lines.append(cat.t("dm.received", case_number=case.case_number))
        if reached:
            lines.append(cat.t("dm.next_steps"))
        else:
            lines.append(cat.t("dm.not_reached", contact=self.direct_contact))
        blocks = [section("\n\n".join(lines))]
        passages = [p for p in self.policy.behaviours() if p.behaviour in case.behaviours]
        if passages:
            quoted = "\n".join(quote(p.text) for p in passages)
            blocks.append(
                section(clip(f"{cat.t('dm.policy_heading')}\n{quoted}", SECTION_TEXT_MAX))
            )
        blocks.append(section(f"{cat.t('dm.support_heading')}\n{self.support}"))
        return {"text": "\n".join(lines), "blocks": blocks}

    def checkin(self, case: CaseView, followup_id: int) -> Message:
        text = self.cat.t("checkin.question", case_number=case.case_number)
        value = str(followup_id)
        actions = {
            "type": "actions",
            "block_id": Block.CHECKIN_ACTIONS,
            "elements": [
                button(self.cat.t("checkin.ok"), Action.CHECKIN_OK, value, "primary"),
                button(self.cat.t("checkin.help"), Action.CHECKIN_HELP, value),
            ],
        }
        return {"text": text, "blocks": [section(text), actions]}

    def text(self, text: str) -> Message:
        return {"text": text}

    def digest(self, figures: DigestFigures) -> Message:
        return build_digest_message(figures, self.cat, behaviour_labels(self.policy))

    def home(self, data: HomeData) -> Message:
        labels = behaviour_labels(self.policy)
        return build_home(data, self.cat, labels, self.clock.zone, self.stale_days)
