"""Short vocabulary words must not fire inside ordinary words once the text is folded."""

from __future__ import annotations

import pytest

from bot.policy.analyzers import make_analyzer
from bot.policy.lexicon import compile_phrase
from bot.policy.matcher import PolicyMatcher
from bot.policy.normalize import NO_READINGS


@pytest.mark.parametrize("phrase", ["ビビ", "断って&いい", "の"])
def test_a_phrase_that_folds_to_one_kana_is_dropped(phrase: str) -> None:
    analyzer = make_analyzer("chars", NO_READINGS)
    assert compile_phrase("s2.03", phrase, "phrase", analyzer, NO_READINGS) is None


def test_a_kanji_or_longer_phrase_is_kept() -> None:
    analyzer = make_analyzer("chars", NO_READINGS)
    assert compile_phrase("s2.01", "殴", "phrase", analyzer, NO_READINGS) is not None
    assert compile_phrase("s2.03", "ビビらせ", "phrase", analyzer, NO_READINGS) is not None


@pytest.mark.parametrize(
    ("question", "not_first"),
    [
        ("退職した職員の連絡先を教えろとしつこい", "s2.08"),  # 教えろ is not エロ
        (
            "人前で「こいつ仕事できない」と大声で言われた",
            "s1.4",
        ),  # こいつ…できない is not いつ…でき
        ("電話でとにかく怒鳴られた", "s2.08"),  # でとに is not デート
        ("文句ばかり言ってくる", "s2.02"),  # ばかり is not ばか
        ("電話を切れずに2時間たった", "s2.07"),  # 切れず is not レズ
        ("パトカーを呼んでもいい?", "s1.1"),  # パトカー is not パート
    ],
)
def test_ordinary_words_do_not_trigger_short_cues(
    matcher: PolicyMatcher, question: str, not_first: str
) -> None:
    answer = matcher.answer(question)
    assert not answer.matches or answer.matches[0].passage.id != not_first


@pytest.mark.parametrize(
    ("question", "passage"),
    [
        ("帰ってくれへん客がおる", "s2.06"),  # Kansai negation
        ("同じ人から一日に30回も電話がくる", "s2.05"),  # counted repetition
        ("the guy emails us fifty times a week", "s2.05"),
        ("customer wont leave the lobby", "s2.06"),
    ],
)
def test_dialect_and_chat_spellings_reach_the_passage(
    matcher: PolicyMatcher, question: str, passage: str
) -> None:
    answer = matcher.answer(question)
    assert answer.matches and answer.matches[0].passage.id == passage
