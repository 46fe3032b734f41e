"""Rotating KASUHARA_DATA_KEY: re-encrypt every stored text under the first (new) key, and
re-hash each customer key under the hash key derived from it.

Run with `KASUHARA_DATA_KEY="NEW,OLD"`. Rows already under NEW are left alone, so a second
run (or a run after a crash half way) changes nothing and reports 0; once it does, OLD can
be dropped from the setting.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime

from cryptography.fernet import InvalidToken

from bot.privacy.crypto import Cipher, DataKeyError
from bot.privacy.customer_key import normalise
from storage.audit import add_audit
from storage.db import Sessions
from storage.keys import ENCRYPTED_COLUMNS, newest_encrypted, reports_after, set_encrypted
from storage.models import Report

log = logging.getLogger("kasuhara.keys")
BATCH = 200


@dataclass(frozen=True)
class Rotation:
    checked: int  # reports looked at
    rotated: int  # reports with at least one text re-encrypted


def split_keys(setting: str) -> list[str]:
    return [part.strip() for part in setting.split(",") if part.strip()]


def _is_current(newest: Cipher, token: str) -> bool:
    try:
        newest.decrypt(token)
    except DataKeyError:
        return False
    return True


def rotated_values(cipher: Cipher, newest: Cipher, report: Report) -> dict[str, str]:
    """The columns of `report` not yet under the new key, re-encrypted under it."""
    changes: dict[str, str] = {}
    for name in ENCRYPTED_COLUMNS:
        token = getattr(report, name)
        if token is None or _is_current(newest, token):
            continue
        try:
            changes[name] = cipher.rotate(token) or ""
        except InvalidToken:
            raise DataKeyError(
                f"{report.case_number}: {name} cannot be opened with any key in "
                "KASUHARA_DATA_KEY; nothing after it was changed"
            ) from None
    rehashed = _rehashed(cipher, newest, report)
    if rehashed is not None:
        changes["customer_key_hash"] = rehashed
    return changes


def _rehashed(cipher: Cipher, newest: Cipher, report: Report) -> str | None:
    """The customer key's hash under the new key, when the stored one is not (the key is
    read back from its encrypted column: the hash alone cannot be carried over)."""
    canonical = normalise(cipher.decrypt(report.customer_key_enc))
    if canonical is None:
        return None
    fresh = newest.keyed_hash(canonical)
    return None if fresh == report.customer_key_hash else fresh


async def _rotate_batch(
    sessions: Sessions, cipher: Cipher, newest: Cipher, after_id: int
) -> tuple[int, int, int]:
    """One transaction: (last id seen, reports looked at, reports changed)."""
    changed = 0
    async with sessions.begin() as session:
        batch = await reports_after(session, after_id=after_id, limit=BATCH)
        for report in batch:
            assert report.id is not None
            values = rotated_values(cipher, newest, report)
            if values:
                await set_encrypted(session, case_id=report.id, values=values)
                changed += 1
    last = batch[-1].id if batch and batch[-1].id is not None else after_id
    return last, len(batch), changed


async def rotate_data_key(sessions: Sessions, setting: str, *, now: datetime) -> Rotation:
    keys = split_keys(setting)
    cipher, newest = Cipher(keys), Cipher(keys[:1])
    after_id, checked, rotated = 0, 0, 0
    while True:
        after_id, seen, changed = await _rotate_batch(sessions, cipher, newest, after_id)
        if not seen:
            break
        checked, rotated = checked + seen, rotated + changed
        log.info("rotation batch checked=%d rotated=%d", checked, rotated)
    if rotated:
        async with sessions.begin() as session:
            detail = {"rotated": rotated, "checked": checked, "keys": len(keys)}
            await add_audit(
                session, at=now, actor_id="system", action="data.key_rotated", detail=detail
            )
    return Rotation(checked, rotated)


async def check_data_key(sessions: Sessions, cipher: Cipher, sample: int = 50) -> None:
    """At start: refuse to serve with a key that opens none of the newest stored reports
    (a different KASUHARA_DATA_KEY): raises DataKeyError naming `rotate-key`. Some rows
    unreadable among readable ones is logged; those rows wait, the others go on."""
    async with sessions.begin() as session:
        tokens = await newest_encrypted(session, limit=sample)
    unreadable = sum(not _is_current(cipher, t) for t in tokens)
    if tokens and unreadable == len(tokens):
        raise DataKeyError(
            f"KASUHARA_DATA_KEY opens none of the {len(tokens)} newest stored reports: start "
            "with the key they were saved under, or put the new key first and the old one "
            "after it (KASUHARA_DATA_KEY=NEW,OLD) and run `kasuhara-bot rotate-key`"
        )
    if unreadable:
        log.error(
            "data key check event=data_key_partial unreadable=%d of=%d: run "
            "`kasuhara-bot rotate-key` with the old key listed after the new one",
            unreadable,
            len(tokens),
        )
