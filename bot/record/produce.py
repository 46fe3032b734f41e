"""Producing a case record: gathered, rendered, audited, then handed over.

Every record produced is audited before it leaves (action `case.record`: who, when, which
case, how it was delivered, its page count and SHA-256, so a copy can be checked later
against the log). A record that could not be delivered is audited as well.
"""

from __future__ import annotations

import asyncio
import hashlib
import logging
from dataclasses import dataclass

from sqlalchemy.exc import SQLAlchemyError

from bot.delivery.errors import classify
from bot.delivery.slack_io import UploadUnconfirmed
from bot.privacy.crypto import DataKeyError
from bot.record.content import gather_record, load_case_for_record
from bot.services import Services
from storage.audit import add_audit

log = logging.getLogger("kasuhara.record")
VIA_SLACK = "slack_dm"
VIA_TERMINAL = "terminal"


class RecordNotSent(Exception):
    """The record did not reach the supervisor: the case could not be read (database, data
    key) or Slack refused the upload (then audited as `case.record_undelivered`)."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class RecordUnconfirmed(RecordNotSent):
    """Slack's answer to the upload was lost and the file is not seen in the DM: it may still
    arrive (audited as `case.record_unconfirmed`). Asking again at once could send two."""


@dataclass(frozen=True)
class ProducedRecord:
    case_id: int
    case_number: str
    filename: str
    title: str
    content: bytes
    pages: int


async def produce_record(
    svc: Services,
    *,
    actor: str,
    via: str,
    case_id: int | None = None,
    case_number: str | None = None,
    use_slack: bool = True,
) -> ProducedRecord | None:
    """The record of one case (by id or number), audited; None when there is no such case.
    Database errors propagate: no record leaves without its audit row."""
    loaded = await load_case_for_record(svc, case_id=case_id, case_number=case_number)
    if loaded is None:
        return None
    record = await gather_record(svc, loaded, actor=actor, use_slack=use_slack)
    # The PDF library (fpdf2, fontTools, Pillow) costs ~40 MB and ~0.25 s to import: loaded on
    # the first record, not at start-up (issue 15's start-up and idle-memory targets).
    from bot.record.pdf import render_record

    rendered = await asyncio.to_thread(
        render_record, record, svc.catalog, svc.policy, svc.clock.zone
    )
    case = record.case
    detail = {
        "via": via,
        "pages": rendered.pages,
        "bytes": len(rendered.content),
        "sha256": hashlib.sha256(rendered.content).hexdigest(),
    }
    async with svc.sessions.begin() as session:
        await add_audit(
            session,
            at=record.produced_at,
            actor_id=actor,
            action="case.record",
            case_id=case.id,
            detail=detail,
        )
    log.info("record produced case=%s via=%s pages=%d", case.case_number, via, rendered.pages)
    cat = svc.catalog
    return ProducedRecord(
        case_id=case.id,
        case_number=case.case_number,
        filename=cat.t("record.filename", case_number=case.case_number),
        title=cat.t("record.title", case_number=case.case_number),
        content=rendered.content,
        pages=rendered.pages,
    )


async def send_record(svc: Services, *, case_id: int, actor: str) -> ProducedRecord | None:
    """Produce the record and upload it to `actor`'s DM with the app (files upload v2).
    None when the case does not exist; RecordNotSent when it could not be made or sent."""
    try:
        produced = await produce_record(svc, actor=actor, via=VIA_SLACK, case_id=case_id)
    except (SQLAlchemyError, DataKeyError) as exc:
        raise RecordNotSent(type(exc).__name__) from exc
    if produced is None:
        return None
    try:
        await svc.gateway.upload_to_dm(
            actor,
            filename=produced.filename,
            content=produced.content,
            title=produced.title,
            comment=svc.catalog.t("record.comment", case_number=produced.case_number),
        )
    except UploadUnconfirmed as exc:
        await _audit_failure(svc, produced, actor, "case.record_unconfirmed", exc.code)
        raise RecordUnconfirmed(exc.code) from exc
    except Exception as exc:
        verdict = classify(exc)  # Slack's refusal, any body, or the network
        if verdict is None:
            raise
        await _audit_failure(svc, produced, actor, "case.record_undelivered", verdict.code)
        raise RecordNotSent(verdict.code) from exc
    return produced


async def _audit_failure(
    svc: Services, produced: ProducedRecord, actor: str, action: str, error: str
) -> None:
    log.warning("record %s not delivered (%s): %s", produced.case_number, action, error)
    async with svc.sessions.begin() as session:
        await add_audit(
            session,
            at=svc.clock.now(),
            actor_id=actor,
            action=action,
            case_id=produced.case_id,
            detail={"error": error},
        )
