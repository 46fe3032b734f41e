"""The customer key: never readable in the database, re-hashed on rotation, purged with the
text, absent from the CSV export and the digest (which only counts)."""

from __future__ import annotations

import json

import pytest

from bot.demo.harness import HR_IDS, Harness, running_harness
from bot.digest.weekly import export_week, week_figures
from bot.digest.weeks import week_containing
from bot.privacy.crypto import Cipher, generate_key
from bot.privacy.customer_key import normalise
from bot.privacy.keys import rotate_data_key
from bot.privacy.retention import run_retention
from tests.app.helpers import alerts, all_text, reports, submit
from tests.privacy.story import closed_case

KEY = "加入者番号 12-3456-789"
CANONICAL = "123456789"


@pytest.mark.parametrize(
    ("typed", "canonical"),
    [
        ("加入者番号 12-3456-789", "123456789"),
        ("１２３４５６７８９", "123456789"),
        ("090-1234-5678", "09012345678"),
        ("０９０ー１２３４ー５６７８", "09012345678"),
        ("TEL:090(1234)5678", "09012345678"),
        ("+81 90-1234-5678", "09012345678"),
        ("No.12345", "12345"),
        ("契約番号：ＡＢ－１２３４", "ab1234"),
        ("  ", None),
        ("山田様", None),
        ("12-3", None),
    ],
)
def test_the_canonical_form(typed: str, canonical: str | None) -> None:
    assert normalise(typed) == canonical


def test_the_hash_is_keyed_and_is_not_the_identifier() -> None:
    one, two = Cipher([generate_key()]), Cipher([generate_key()])
    digest = one.keyed_hash(CANONICAL)
    assert len(digest) == 64 and CANONICAL not in digest
    assert digest == one.keyed_hash(CANONICAL)  # stable under one key
    assert digest != two.keyed_hash(CANONICAL)  # changes with the data key
    assert digest != one.keyed_hash("123456780")
    import hashlib

    assert digest != hashlib.sha256(CANONICAL.encode()).hexdigest()  # not a bare hash


async def _linked_pair(h: Harness) -> None:
    await closed_case(h, "一件目の記述", customer_key=KEY)
    await submit(h, "二件目の記述", customer_key="123456789")


async def test_rotation_re_hashes_and_links_hold(harness: Harness, database_url: str) -> None:
    h = harness
    await _linked_pair(h)
    assert h.svc.settings.data_key is not None
    old, new = h.svc.settings.data_key.get_secret_value(), generate_key()
    before = {r.id: r.customer_key_hash for r in await reports(h)}

    done = await rotate_data_key(h.svc.sessions, f"{new},{old}", now=h.now())
    again = await rotate_data_key(h.svc.sessions, f"{new},{old}", now=h.now())

    assert (done.rotated, again.rotated) == (2, 0)
    after = {r.id: r.customer_key_hash for r in await reports(h)}
    expected = Cipher([new]).keyed_hash(CANONICAL)
    assert set(after.values()) == {expected} and not set(before.values()) & {expected}
    for report in await reports(h):
        assert Cipher([new]).decrypt(report.customer_key_enc) in (KEY, "123456789")
    async with running_harness(database_url, KASUHARA_DATA_KEY=new) as restarted:
        await submit(restarted, "三件目の記述", customer_key="１２３４５６７８９")
        assert "過去の報告: 2件" in all_text(alerts(restarted)[-1])


async def test_links_hold_while_a_rotation_is_half_done(
    harness: Harness, database_url: str
) -> None:
    """KASUHARA_DATA_KEY="NEW,OLD" before rotate-key has run: new reports are hashed under
    NEW, the stored ones are still under OLD, and they link all the same."""
    h = harness
    await _linked_pair(h)
    assert h.svc.settings.data_key is not None
    old, new = h.svc.settings.data_key.get_secret_value(), generate_key()
    async with running_harness(database_url, KASUHARA_DATA_KEY=f"{new},{old}") as restarted:
        await submit(restarted, "三件目の記述", customer_key="１２３４５６７８９")
        third = max(await reports(restarted), key=lambda r: r.id or 0)
        assert third.customer_key_hash == Cipher([new]).keyed_hash(CANONICAL)
        assert "過去の報告: 2件" in all_text(alerts(restarted)[-1])


async def test_purge_removes_the_key_and_its_hash(harness: Harness) -> None:
    h = harness
    await _linked_pair(h)
    h.now.advance(days=365 * 3 + 2)
    assert (await run_retention(h.svc)).cases == 1
    await h.settle()
    first, second = sorted(await reports(h), key=lambda r: r.id or 0)
    assert (first.customer_key_enc, first.customer_key_hash) == (None, None)
    assert second.customer_key_hash is not None  # open: kept
    await submit(h, "三件目の記述", customer_key=KEY)
    text = all_text(alerts(h)[-1])
    assert "過去の報告: 1件" in text and "KH-2026-0001" not in text


async def test_the_export_and_the_digest_hold_no_key(harness: Harness) -> None:
    h = harness
    await _linked_pair(h)
    await submit(h, "三件目の記述", customer_key="１２３４５６７８９")
    export = await export_week(h.svc, actor=HR_IDS[0])
    csv_text = export.content.decode("utf-8-sig")
    hashes = {r.customer_key_hash for r in await reports(h)}
    for secret in (KEY, CANONICAL, "12-3456-789", *hashes):
        assert secret and secret not in csv_text
    figures = await week_figures(h.svc, week_containing(h.now(), h.svc.clock.zone))
    assert figures.repeat_customers == 2  # the second and third reports
    digest = json.dumps(h.svc.renderer.digest(figures), ensure_ascii=False)
    assert "以前にも報告のあったお客さまについての報告* 2件" in digest
    for secret in (CANONICAL, "12-3456-789", "KH-2026-0001", *hashes):
        assert secret not in digest
