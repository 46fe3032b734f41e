"""A stored report as the domain reads it: decrypted, with aware UTC times."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from bot.cases.domain import CaseView, parse_numbers
from bot.clock import as_utc
from bot.privacy.crypto import Cipher, DataKeyError
from storage.models import Report


def to_view(cipher: Cipher, report: Report, *, tolerant: bool = False) -> CaseView:
    """The stored row as the domain reads it: text fields decrypted, times aware UTC. Raises
    DataKeyError when stored text does not open with the data key; `tolerant` (lists and
    notices that show no report text) leaves such text out instead."""
    assert report.id is not None
    decrypt = _tolerant(cipher.decrypt) if tolerant else cipher.decrypt
    return CaseView(
        id=report.id,
        case_number=report.case_number,
        reporter_id=report.reporter_id,
        occurred_at=as_utc(report.occurred_at),
        created_at=as_utc(report.created_at),
        contact_channel=report.contact_channel,
        behaviours=parse_numbers(report.behaviours),
        suggested_behaviours=parse_numbers(report.suggested_behaviours),
        urgent=report.urgent,
        support=report.support,
        description=decrypt(report.description_enc),
        customer=decrypt(report.customer_enc),
        source_permalink=decrypt(report.source_permalink_enc),
        status=report.status,
        acknowledged_by=report.acknowledged_by,
        acknowledged_at=_utc(report.acknowledged_at),
        owner_id=report.owner_id,
        owned_at=_utc(report.owned_at),
        escalated_by=report.escalated_by,
        escalated_at=_utc(report.escalated_at),
        resolved_by=report.resolved_by,
        resolved_at=_utc(report.resolved_at),
        alert_channel=report.alert_channel,
        alert_ts=report.alert_ts,
        purged=report.purged_at is not None,
        customer_key=decrypt(report.customer_key_enc),
    )


def _tolerant(decrypt: Callable[[str | None], str | None]) -> Callable[[str | None], str | None]:
    def opened(token: str | None) -> str | None:
        try:
            return decrypt(token)
        except DataKeyError:
            return None

    return opened


def _utc(moment: datetime | None) -> datetime | None:
    return as_utc(moment) if moment else None
