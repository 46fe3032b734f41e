"""`/kasuhara digest` and `/kasuhara export`: HR members only, each access audited."""

from __future__ import annotations

import asyncio
import csv
import io
from collections.abc import Callable
from typing import Any

from sqlmodel import select

from bot.demo.harness import HR, HR_IDS, OUTSIDER, Harness
from storage.models import AuditEvent
from tests.digest.seed import jst, seed_week48

HR_USER = HR_IDS[0]


async def _eventually(check: Callable[[], Any], timeout: float = 5.0) -> Any:
    """The command is acknowledged first and answered after, so wait for the answer."""
    for _ in range(int(timeout / 0.02)):
        if result := check():
            return result
        await asyncio.sleep(0.02)
    raise AssertionError("the app did not answer in time")


async def _audit(h: Harness, action: str) -> list[AuditEvent]:
    async with h.svc.sessions() as session:
        stmt = select(AuditEvent).where(AuditEvent.action == action)
        return list((await session.exec(stmt)).all())


async def _friday(h: Harness) -> None:
    h.now.moment = jst(11, 27, 10)  # Friday of 2026-W48
    async with h.svc.sessions.begin() as session:
        await seed_week48(session)


async def _command(h: Harness, user: str, word: str) -> None:
    resp = await h.driver.slash_command(user_id=user, command="/kasuhara", text=word, channel_id=HR)
    assert resp.status == 200


async def test_digest_shows_this_week_to_the_asker_only(harness: Harness) -> None:
    await _friday(harness)
    await _command(harness, HR_USER, "digest")
    [eph] = await _eventually(lambda: harness.standin.ephemerals)
    assert eph["user"] == HR_USER
    assert eph["blocks"][0]["text"]["text"].endswith("11月23日(月)〜11月29日(日)")
    assert "途中" in str(eph["blocks"])
    assert harness.standin.messages(HR) == []
    [event] = await _audit(harness, "hr.digest")
    assert event.actor_id == HR_USER


async def test_export_sends_a_csv_by_dm_and_is_audited(harness: Harness) -> None:
    await _friday(harness)
    await _command(harness, HR_USER, "export")
    [upload] = await _eventually(lambda: harness.standin.files)
    assert upload["channel_id"] == harness.standin.dm_channel(HR_USER)
    assert upload["filename"] == "kasuhara-cases-2026-W48.csv"
    rows = list(csv.reader(io.StringIO(upload["bytes"].decode("utf-8-sig"))))
    assert rows[0][0] == "受付番号" and len(rows) == 1 + 6
    assert [r[0] for r in rows[1:]][:2] == ["KH-2026-0002", "KH-2026-0003"]
    [eph] = await _eventually(lambda: harness.standin.ephemerals)
    assert "DMでお送りしました" in eph["text"]
    [event] = await _audit(harness, "hr.export")
    assert event.actor_id == HR_USER and '"rows": 6' in event.detail


async def test_outsiders_are_refused_and_audited(harness: Harness) -> None:
    await _friday(harness)
    for word in ("digest", "export"):
        await _command(harness, OUTSIDER, word)
    ephs = await _eventually(
        lambda: len(harness.standin.ephemerals) == 2 and harness.standin.ephemerals
    )
    assert all("人事チャンネルのメンバーだけ" in e["text"] for e in ephs)
    assert harness.standin.files == []
    refused = await _audit(harness, "action.refused")
    assert sorted(e.detail for e in refused) == [
        '{"attempted": "hr.digest"}',
        '{"attempted": "hr.export"}',
    ]
    assert await _audit(harness, "hr.export") == []


async def test_export_whose_answer_is_lost_is_one_file_and_told(harness: Harness) -> None:
    """The CSV was shared but the connection dropped before Slack's answer: one file, and HR
    is told it was sent (not left without a word, not asked to send it again)."""
    await _friday(harness)
    harness.standin.fail_next("files.completeUploadExternal", reset=True, after=True)
    await _command(harness, HR_USER, "export")
    [eph] = await _eventually(lambda: harness.standin.ephemerals)
    assert "DMでお送りしました" in eph["text"]
    assert len(harness.standin.files) == 1


async def test_export_refused_with_an_html_page_is_told(harness: Harness) -> None:
    await _friday(harness)
    harness.standin.fail_next("files.getUploadURLExternal", status=502, text="<html>502</html>")
    await _command(harness, HR_USER, "export")
    [eph] = await _eventually(lambda: harness.standin.ephemerals)
    assert eph["text"] == harness.svc.catalog.t("export.failed")
    assert harness.standin.files == []
