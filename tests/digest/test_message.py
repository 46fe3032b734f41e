"""The digest message: aggregates only, readable at a glance, within Block Kit's limits."""

from __future__ import annotations

import json
import re

import pytest

from bot.digest.format import compose, duration_text
from handlers.digest_view import build_digest_message
from handlers.slack_limits import HEADER_MAX, MESSAGE_BLOCKS_MAX, SECTION_TEXT_MAX
from slack_standin.api_chat import check_content
from tests.digest.figures import CAT, LABELS, empty_week, week48


def _texts(message: dict) -> list[str]:
    return [b["text"]["text"] for b in message["blocks"] if b["type"] == "section"]


def test_headline_and_figures_read_naturally() -> None:
    message = build_digest_message(week48(), CAT, LABELS)
    assert message["blocks"][0]["text"]["text"] == (
        "📊 カスハラ週次レポート 11月23日(月)〜11月29日(日)"
    )
    first, *rest = _texts(message)
    assert first == "*報告件数* 6件(前週 2件・4件増)\n緊急 2件 ・ 対応後の報告 4件"
    body = "\n".join(rest)
    assert "① 身体的な攻撃 … 2件" in body and "⑬ その他、職員等の就業環境を害する言動 … 1件" in body
    assert "*行為別・推定*" in body and "⑤ 継続的・執拗な言動 … 1件" in body
    assert "行為の選択・推定なし … 1件" in body
    assert "電話 … 2件" in body and "訪問" not in body  # channels with none are left out
    assert "中央値 25分 ・ 最長 6日23時間" in body
    assert "*未完了の案件* 7件(うち未確認 2件、11月30日 00:00時点)" in body
    assert "7日以上 … 3件" in body
    assert "*警察・弁護士との連携* 1件" in body and "「相談したい」と返答* 1件" in body
    assert message["text"].startswith("カスハラ週次レポート(11月23日")


def test_aggregates_only_no_people() -> None:
    dumped = json.dumps(build_digest_message(week48(), CAT, LABELS), ensure_ascii=False)
    assert not re.search(r"<[@!#]|\bU[A-Z0-9]{6,}\b|KH-\d{4}", dumped)


def test_slack_accepts_it_within_limits() -> None:
    message = build_digest_message(week48(), CAT, LABELS)
    check_content(message)  # the stand-in's copy of Slack's block checks
    assert len(message["blocks"]) <= MESSAGE_BLOCKS_MAX
    assert len(message["blocks"][0]["text"]["text"]) <= HEADER_MAX


def test_busiest_possible_week_still_fits() -> None:
    channels = {f"channel{i}": 999 for i in range(40)}
    figures = week48(chosen=(99999,) * 13, suggested=(99999,) * 13, by_channel=channels)
    message = build_digest_message(figures, CAT, LABELS)
    check_content(message)
    assert all(len(t) <= SECTION_TEXT_MAX for t in _texts(message))


def test_empty_week_is_short_and_says_so() -> None:
    message = build_digest_message(empty_week(), CAT, LABELS)
    check_content(message)
    texts = _texts(message)
    assert texts[0] == "この週のカスハラ報告はありませんでした(前週 3件)。"
    assert texts[1].startswith("*未完了の案件* ありません")
    assert len(message["blocks"]) <= 4


def test_week_in_progress_says_so() -> None:
    figures = week48(as_of=week48().start.replace(day=25, hour=13))
    notes = compose(figures, CAT, LABELS).notes
    assert notes[0] == "この週はまだ途中です。11月25日 13:00時点の集計です。"


@pytest.mark.parametrize(
    ("seconds", "text"),
    [
        (20, "0分"),
        (59, "1分"),
        (25 * 60, "25分"),
        (90 * 60, "1時間30分"),
        (24 * 3600, "1日0時間"),
        (167 * 3600, "6日23時間"),
    ],
)
def test_durations(seconds: float, text: str) -> None:
    assert duration_text(CAT, seconds) == text
