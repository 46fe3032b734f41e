from __future__ import annotations

import pytest

from bot.policy.normalize import Readings, fold, render, stem, to_hiragana


def test_katakana_folds_to_hiragana() -> None:
    assert to_hiragana("セクハラ") == "せくはら"


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("ｶｽﾊﾗ", "かすはら"),
        ("ＳＮＳ", "sns"),
        ("ずーーっと", "ずっと"),
        ("いわれたた", "いわれた"),
        ("くるんだけどど", "くるんだけど"),
        ("110番", "110番"),
    ],
)
def test_fold(text: str, folded: str) -> None:
    assert fold(text) == folded


@pytest.mark.parametrize(
    ("word", "stemmed"),
    [("harassed", "harass"), ("harassing", "harass"), ("harassment", "harass"), ("calls", "call")],
)
def test_stem_joins_word_forms(word: str, stemmed: str) -> None:
    assert stem(word) == stem(stemmed)


def test_english_doubled_letters_are_forgiven() -> None:
    assert render("harrassment") == render("harassment") == render("harass")


def test_render_pads_english_words_and_applies_readings() -> None:
    readings = Readings({"どげざ": "土下座"})
    assert render("どげざ、しろ!", readings) == " 土下座 しろ "
    assert render("He HIT me", readings) == " he hit me "


@pytest.mark.parametrize(
    ("text", "same_as"),
    [
        ("手ぇついて", "手ついて"),  # a drawn-out small vowel after a kanji
        ("ねぇ", "ね"),  # ... or after a kana of the same vowel
        ("毎日30回も電話", "毎日何回も電話"),  # counted repetition (3 or more)
        ("数十件のメール", "何件のメール"),
        ("calls me 20 times a day", "calls me many times a day"),
        ("fifty emails", "many emails"),
        ("he wont leave", "he won't leave"),  # apostrophe-less contractions
        ("im scared", "I'm scared"),
    ],
)
def test_render_folds_chat_spellings(text: str, same_as: str) -> None:
    assert render(text) == render(same_as)


@pytest.mark.parametrize("text", ["1回説明した", "110番", "2 times", "twice"])
def test_one_or_two_is_not_repetition(text: str) -> None:
    rendered = render(text)
    assert "何" not in rendered and "many" not in rendered


def test_small_vowels_of_loanwords_are_kept() -> None:
    assert "ぇ" in render("フェイスブック") and "ぃ" in render("ティックトック")


def test_collapsed_short_reading_is_not_applied() -> None:
    # 「たたい」 folds to 「たい」, which would fire inside 「いたい」 and 「したい」.
    readings = Readings({"たたい": "叩い", "どげざ": "土下座"})
    assert render("関係でいたい", readings) == " 関係でいたい "
    assert render("どげざ", readings) == " 土下座 "
