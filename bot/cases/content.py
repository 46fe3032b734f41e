"""The reporter's part of a report row, as stored: what a new report is saved with and what a
changed resubmission of the same modal replaces (bot/cases/intake.py, bot/cases/amend.py)."""

from __future__ import annotations

from typing import Any

from bot.cases.domain import ReportInput, join_numbers
from bot.privacy.customer_key import normalise
from bot.services import Services


def report_content(svc: Services, data: ReportInput, suggested: tuple[int, ...]) -> dict[str, Any]:
    """Report column → value for what the reporter sent: free text encrypted with the data
    key, the customer number also as a keyed hash of its normalised form (for linking), the
    behaviours as the policy's numbers. `occurred_at` is the picked time or, when none was
    picked, the time of sending."""
    encrypt = svc.cipher.encrypt
    canonical = normalise(data.customer_key)
    return {
        "occurred_at": data.occurred_at,
        "contact_channel": data.contact_channel,
        "behaviours": join_numbers(data.behaviours),
        "suggested_behaviours": join_numbers(suggested),
        "urgent": data.urgent,
        "support": data.support,
        "description_enc": encrypt(data.description),
        "description_length": len(data.description),
        "customer_enc": encrypt(data.customer or None),
        "customer_key_enc": encrypt(data.customer_key),
        "customer_key_hash": svc.cipher.keyed_hash(canonical) if canonical else None,
    }
