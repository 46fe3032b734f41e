"""Reports about the same customer are linked on the supervisors' alert, and only there."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from bot.demo.harness import STAFF, SUPERVISORS, Harness, running_harness
from bot.policy.document import DEFAULT_POLICY_PATH
from tests.app.helpers import alerts, all_text, reports, submit
from tests.shared import need_shared

SAME = ("加入者番号 12-3456-789", "１２３４５６７８９", "123456789")
OTHER = "加入者番号 98-7654-321"
SUGGESTION = "警察・弁護士と連携することを検討してください"


def _section3(h: Harness) -> str:
    return next(p.text for p in h.svc.policy.passages if p.id == "s3")


async def _three_reports(h: Harness) -> list[dict[str, Any]]:
    for number, key in enumerate(SAME, start=1):
        await submit(h, f"同じお客さまからの{number}回目の電話", customer_key=key)
    return alerts(h)


async def test_three_spellings_of_one_number_are_linked(harness: Harness) -> None:
    h = harness
    first, second, third = await _three_reports(h)
    assert "過去の報告" not in all_text(first)
    assert "過去の報告: 1件" in all_text(second) and "KH-2026-0001" in all_text(second)
    text = all_text(third)
    assert "過去の報告: 2件" in text
    assert "KH-2026-0001" in text and "KH-2026-0002" in text
    assert "未確認" in text  # the earlier reports' states
    assert SUGGESTION not in all_text(second)
    assert SUGGESTION in text


async def test_the_third_alert_quotes_section_3_verbatim(harness: Harness) -> None:
    h = harness
    *_, third = await _three_reports(h)
    passage = _section3(h)
    assert "警察・弁護士等と連携" in passage  # the bundled policy's section 3
    quoted = "".join(
        line.removeprefix("> ")
        for b in third["blocks"]
        if b["type"] == "section" and "text" in b
        for line in b["text"]["text"].splitlines()
        if line.startswith(">")
    )
    assert quoted == passage
    source = need_shared("policy", "kasuhara-policy.ja.txt").read_text("utf-8")
    assert passage in source  # the organisation's own words, not a paraphrase


async def test_a_different_number_is_not_linked(harness: Harness) -> None:
    h = harness
    await submit(h, "一件目", customer_key=SAME[0])
    await submit(h, "別のお客さま", customer_key=OTHER)
    await submit(h, "番号なし")
    _, other, none = alerts(h)
    assert "過去の報告" not in all_text(other)
    assert "過去の報告" not in all_text(none)


async def test_phone_numbers_match_across_widths_and_hyphens(harness: Harness) -> None:
    h = harness
    await submit(h, "電話で怒鳴られた", customer_key="090-1234-5678")
    await submit(h, "また同じ番号から", customer_key="０９０１２３４５６７８")
    _, second = alerts(h)
    assert "過去の報告: 1件" in all_text(second)


async def test_the_threshold_is_a_setting(database_url: str) -> None:
    async with running_harness(database_url, KASUHARA_LINK_THRESHOLD=2) as h:
        await submit(h, "一回目", customer_key=SAME[0])
        await submit(h, "二回目", customer_key=SAME[1])
        first, second = alerts(h)
        assert SUGGESTION not in all_text(first)
        assert SUGGESTION in all_text(second)


async def test_staff_never_see_links_or_the_key(harness: Harness) -> None:
    h = harness
    await _three_reports(h)
    dm = h.standin.dm_channel(STAFF[0])
    staff_dm = json.dumps(h.standin.messages(dm), ensure_ascii=False)
    status = await h.driver.slash_command(user_id=STAFF[0], command="/kasuhara", text="status")
    await h.driver.app_home_opened(STAFF[0])
    await h.settle()
    home = json.dumps(h.standin.home_views[STAFF[0]], ensure_ascii=False)
    assert "KH-2026-0003" in home  # the staff member's own reports are there, links are not
    for seen in (staff_dm, json.dumps(status.json, ensure_ascii=False), home):
        assert "過去の報告" not in seen and SUGGESTION not in seen
        assert "12-3456-789" not in seen and "123456789" not in seen
    for report in await reports(h):
        assert report.customer_key_hash and len(report.customer_key_hash) == 64
        assert "123456789" not in (report.customer_key_hash or "")
        assert "123456789" not in (report.customer_key_enc or "")
    assert len(h.standin.messages(SUPERVISORS)) >= 3


async def test_a_key_that_identifies_nobody_is_refused_on_the_field(harness: Harness) -> None:
    h = harness
    resp = await submit(h, "名前だけ", customer_key="山田様")
    assert resp.json["response_action"] == "errors"
    assert set(resp.json["errors"]) == {"report.customer_key"}
    assert await reports(h) == []


async def test_without_such_a_passage_the_suggestion_quotes_nothing(
    database_url: str, tmp_path: Path
) -> None:
    raw = json.loads(DEFAULT_POLICY_PATH.read_text("utf-8"))
    raw["sections"] = [s for s in raw["sections"] if s["number"] != "3"]
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    async with running_harness(database_url, KASUHARA_POLICY_PATH=str(path)) as h:
        *_, third = await _three_reports(h)
        text = all_text(third)
        assert SUGGESTION in text and "方針 " not in text and "> " not in text
