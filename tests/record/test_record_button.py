"""The case record: a supervisor's button, a PDF by DM, parsed back and checked."""

from __future__ import annotations

import io
import json
from typing import Any

import pytest
from pypdf import PdfReader

from bot.demo.harness import STAFF, SUPERVISORS, Harness
from tests.app.helpers import alerts, audit, click, submit
from tests.privacy.story import ITO, SATO, resolve

DESCRIPTION = "窓口で「土下座しろ」と三十分怒鳴られ、帰ってくれなかった。\n二行目の記述もある。"
CUSTOMER = "山田様(50代男性)"
KEY = "加入者番号 12-3456-789"
OUTCOME = "上長が対応し、以後の来店をお断りした"
OTHER_TEXT = "別の件の記述:駐車場で待ち伏せされた"


async def _history(h: Harness) -> dict[str, Any]:
    """Two earlier reports about the customer and an unrelated one, then the case itself:
    acknowledged, taken, escalated, a thread reply, resolved."""
    await submit(h, "一回目の記述", customer_key="123456789")
    await submit(h, "二回目の記述", customer_key="１２３４５６７８９")
    await submit(h, OTHER_TEXT, user=STAFF[1], customer_key="555-0000")
    await submit(h, DESCRIPTION, customer=CUSTOMER, customer_key=KEY, behaviours=(3, 4, 6))
    alert = alerts(h)[-1]
    await click(h, SATO, "case.ack", alert)
    await click(h, SATO, "case.take", alert)
    await click(h, SATO, "case.escalate", alert)
    reply = h.standin.post_user_message(
        SUPERVISORS, ITO, "警察署に相談済み &amp; 記録を保管", thread_ts=alert["ts"]
    )
    await h.driver.deliver_message_event(reply)
    await resolve(h, alert, OUTCOME, user=SATO)
    return next(a for a in alerts(h) if a["ts"] == alert["ts"])


def _pdf(h: Harness, user: str) -> tuple[dict[str, Any], PdfReader]:
    dm = h.standin.dm_channel(user)
    [sent] = [f for f in h.standin.files if f["channel_id"] == dm]
    return sent, PdfReader(io.BytesIO(sent["bytes"]))


def _text(reader: PdfReader) -> str:
    return "\n".join(page.extract_text() or "" for page in reader.pages)


def _flat(text: str) -> str:
    return "".join(text.split())


async def test_the_record_holds_every_part_of_the_case(harness: Harness) -> None:
    h = harness
    alert = await _history(h)
    await click(h, ITO, "case.record", alert)
    sent, reader = _pdf(h, ITO)
    assert sent["filename"] == "kasuhara-record-KH-2026-0004.pdf"
    text = _flat(_text(reader))
    for part in (
        "kasuhara-demo",  # the organisation: the workspace's name
        "KH-2026-0004",
        "2026年12月1日",  # dates and times, in the organisation's zone
        "田中花子(USTAFF01)",  # the reporter
        "電話",  # contact channel
        "③威圧的な言動",  # behaviours with the policy's own text
        "④土下座の要求",
        "⑥拘束的な行動(不退去、居座り、監禁)",
        _flat(DESCRIPTION),
        _flat(CUSTOMER),
        _flat(KEY),
        "確認しました",  # every action, with who
        "担当になりました",
        "警察・弁護士との連携を開始しました",
        "佐藤課長(USUP0001)",
        "警察署に相談済み&記録を保管",  # a supervisor's thread line, unescaped
        "伊藤主任(USUP0002)",
        _flat(OUTCOME),
        "KH-2026-0001",  # the linked reports' numbers
        "KH-2026-0002",
    ):
        assert part in text, part
    assert "KH-2026-0003" not in text and _flat(OTHER_TEXT) not in text
    assert "一回目の記述" not in text and "二回目の記述" not in text


async def test_every_page_is_marked_numbered_and_a4(harness: Harness) -> None:
    h = harness
    await submit(h, "長い記述。" * 550, customer_key=KEY)  # several pages
    await click(h, SATO, "case.record", alerts(h)[0])
    _, reader = _pdf(h, SATO)
    total = len(reader.pages)
    assert total >= 2
    for number, page in enumerate(reader.pages, start=1):
        text = page.extract_text() or ""
        assert "取扱注意" in text
        assert f"{number}/{total}ページ" in _flat(text)
        width, height = float(page.mediabox.width), float(page.mediabox.height)
        assert (round(width), round(height)) == (595, 842)  # A4 in points


async def test_the_font_is_embedded(harness: Harness) -> None:
    h = harness
    await submit(h, "フォント確認")
    await click(h, SATO, "case.record", alerts(h)[0])
    _, reader = _pdf(h, SATO)
    fonts = []
    for page in reader.pages:
        for font in page["/Resources"]["/Font"].values():
            font = font.get_object()
            for descendant in font.get("/DescendantFonts", []):
                descriptor = descendant.get_object()["/FontDescriptor"].get_object()
                fonts.append((str(font["/BaseFont"]), "/FontFile2" in descriptor))
    assert fonts and all(embedded for _, embedded in fonts)
    assert all("IPAexGothic" in name for name, _ in fonts)


async def test_each_record_is_audited_and_the_dm_says_so(harness: Harness) -> None:
    h = harness
    await submit(h, "監査確認", customer_key=KEY)
    alert = alerts(h)[0]
    await click(h, SATO, "case.record", alert)
    await click(h, ITO, "case.record", alert)
    records = [e for e in await audit(h) if e.action == "case.record"]
    assert [(e.actor_id, e.case_id) for e in records] == [(SATO, 1), (ITO, 1)]
    detail = json.loads(records[0].detail)
    assert detail["via"] == "slack_dm" and detail["pages"] >= 1 and len(detail["sha256"]) == 64
    notices = [e["text"] for e in h.standin.ephemerals if e["user"] == SATO]
    assert any("KH-2026-0001" in n and "DM" in n for n in notices)
    assert "監査確認" not in json.dumps(records[0].detail, ensure_ascii=False)


async def test_outsiders_get_no_record(harness: Harness) -> None:
    h = harness
    await submit(h, "部外者確認")
    await click(h, STAFF[1], "case.record", alerts(h)[0])
    assert h.standin.files == []
    refused = [e for e in await audit(h) if e.action == "action.refused"]
    assert [(e.actor_id, json.loads(e.detail)["attempted"]) for e in refused] == [
        (STAFF[1], "record")
    ]
    assert not [e for e in await audit(h) if e.action == "case.record"]


async def test_an_upload_slack_refuses_is_told_and_audited(harness: Harness) -> None:
    h = harness
    await submit(h, "送信失敗の確認")
    h.standin.fail_next("files.completeUploadExternal", error="not_allowed_token_type")
    await click(h, SATO, "case.record", alerts(h)[0])
    assert h.standin.files == []
    actions = [(e.action, e.actor_id) for e in await audit(h) if e.action.startswith("case.record")]
    assert actions == [("case.record", SATO), ("case.record_undelivered", SATO)]
    [notice] = [e["text"] for e in h.standin.ephemerals if e["user"] == SATO]
    assert notice == h.svc.catalog.t("record.failed")


async def test_a_purged_case_offers_no_record(harness: Harness) -> None:
    from bot.privacy.retention import run_retention
    from tests.privacy.story import closed_case

    h = harness
    await closed_case(h, "保存期間の確認")
    h.now.advance(days=365 * 3 + 2)
    await run_retention(h.svc)
    await h.settle()
    [alert] = alerts(h)
    assert "case.record" not in json.dumps(alert["blocks"])


@pytest.mark.parametrize(
    "fault", [{"status": 500}, {"status": 502, "text": "<html>Bad Gateway</html>"}, {"reset": True}]
)
async def test_a_record_shared_but_answer_lost_is_one_file_told_sent(
    harness: Harness, fault: dict[str, Any]
) -> None:
    """Slack shared the PDF, then the answer to files.completeUploadExternal was lost: one
    file in the DM, and the supervisor is told it was sent, not asked to try again."""
    h = harness
    await submit(h, "応答消失の確認")
    h.standin.fail_next("files.completeUploadExternal", after=True, **fault)
    await click(h, SATO, "case.record", alerts(h)[0])
    dm = h.standin.dm_channel(SATO)
    assert len([f for f in h.standin.files if f["channel_id"] == dm]) == 1
    [notice] = [e["text"] for e in h.standin.ephemerals if e["user"] == SATO]
    assert "KH-2026-0001" in notice and notice != h.svc.catalog.t("record.failed")
    actions = [e.action for e in await audit(h) if e.action.startswith("case.record")]
    assert actions == ["case.record"]


async def test_a_record_whose_fate_is_unknown_is_not_called_a_failure(harness: Harness) -> None:
    """A 5xx with nothing shared that Slack can show: the supervisor is told the truth (not
    confirmed; look in the DM before asking again), and nothing is sent twice."""
    h = harness
    await submit(h, "未確認の確認")
    h.standin.fail_next("files.completeUploadExternal", status=503)
    await click(h, SATO, "case.record", alerts(h)[0])
    assert h.standin.files == []
    assert len(h.standin.calls_to("files.completeUploadExternal")) == 1
    [notice] = [e["text"] for e in h.standin.ephemerals if e["user"] == SATO]
    assert notice == h.svc.catalog.t("record.unconfirmed")
    actions = [e.action for e in await audit(h) if e.action.startswith("case.record")]
    assert actions == ["case.record", "case.record_unconfirmed"]
