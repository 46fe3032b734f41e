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
