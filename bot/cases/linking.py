"""Linked reports: the earlier reports about the same customer, for supervisors only.

Reports are linked by the keyed hash of their customer key (bot/privacy/customer_key.py);
the database never compares, or holds, the key itself. Links are looked up where the
supervisors' alert is rendered (bot/delivery/outbox.py) and for the case record, never for
anything staff see.
"""

from __future__ import annotations

import asyncio
from dataclasses import replace

from sqlmodel.ext.asyncio.session import AsyncSession

from bot.cases.domain import CaseLinks, CaseView, LinkedCase
from bot.clock import as_utc
from bot.policy.concepts import link_passages, load_concepts
from bot.policy.document import Passage, PolicyDocument
from bot.policy.normalize import Readings
from bot.privacy.crypto import Cipher
from bot.privacy.customer_key import normalise
from storage.links import earlier_reports

POLICE_LEGAL = "police_legal"  # the concept of working with the police and lawyers
LINKED_SHOWN = 10  # earlier reports listed on an alert; the count covers all of them


def escalation_passage(doc: PolicyDocument) -> Passage | None:
    """The policy's own passage on handing particularly malicious cases to the police and
    lawyers: the passage most strongly linked to the concept `police_legal`
    (bot/policy/data/concepts.json; in the bundled policy, section 3 「カスタマーハラスメントへの
    対応姿勢」). Found by concept, so another organisation's document works without code
    changes; a numbered behaviour (①–⑬) is never it. None when no passage speaks of it: the
    alert then suggests the step without a quote rather than quoting something else."""
    readings = Readings(dict(doc.vocabulary.readings))
    links = link_passages(doc, load_concepts(), readings)
    best: tuple[float, Passage] | None = None
    for passage in doc.passages:
        strength = max(
            (link.strength for link in links.get(passage.id, ()) if link.concept == POLICE_LEGAL),
            default=0.0,
        )
        if passage.behaviour is None and strength and (best is None or strength > best[0]):
            best = (strength, passage)
    return best[1] if best else None


class Linker:
    """Finds a case's links. Built by the composition root (bot/app.py) from the data key's
    cipher, the policy document and KASUHARA_LINK_THRESHOLD."""

    def __init__(self, cipher: Cipher, policy: PolicyDocument, threshold: int) -> None:
        self.cipher, self.policy, self.threshold = cipher, policy, threshold
        self._passage: tuple[Passage | None] | None = None  # found once, when first needed

    def passage(self) -> Passage | None:
        """The escalation passage of the loaded policy (linked once, ≈0.2 s, then kept)."""
        if self._passage is None:
            self._passage = (escalation_passage(self.policy),)
        return self._passage[0]

    async def links_for(self, session: AsyncSession, case: CaseView) -> CaseLinks | None:
        """The case's links, or None when it has no usable customer key (or was purged).

        The hashes under every key in KASUHARA_DATA_KEY are looked for, so links hold while
        a rotation is half done. `suggest_escalation` is set when this report and the earlier
        ones reach the threshold (default 3).
        """
        canonical = normalise(case.customer_key)
        if canonical is None:
            return None
        hashes = self.cipher.keyed_hashes(canonical)
        total, rows = await earlier_reports(
            session, hashes=hashes, before_id=case.id, limit=LINKED_SHOWN
        )
        earlier = tuple(
            LinkedCase(
                case_number=row.case_number,
                created_at=as_utc(row.created_at),
                status=row.status,
                escalated=row.escalated_at is not None,
            )
            for row in rows
        )
        suggest = total + 1 >= self.threshold
        # Linking the policy takes ≈0.2 s of CPU the first time: off the event loop.
        passage = await asyncio.to_thread(self.passage) if suggest else None
        return CaseLinks(
            total=total,
            earlier=earlier,
            suggest_escalation=suggest,
            policy_text=passage.text if passage else None,
            policy_heading=_heading(passage),
        )

    async def with_links(self, session: AsyncSession, case: CaseView) -> CaseView:
        """The case as supervisors read it: with its links."""
        return replace(case, links=await self.links_for(session, case))


def _heading(passage: Passage | None) -> str | None:
    return passage.section_title if passage else None
