"""Text normalisation shared by questions, phrases and passage text.

Everything that is matched goes through `render`, so a question and a vocabulary phrase written
in different scripts, widths or spellings end up as the same string. The rendered form is:
NFKC, lower-case, katakana folded to hiragana, long-vowel marks dropped, runs of a repeated
letter or kana collapsed (「いわれたた」→「いわれた」), kana readings replaced by their kanji
(「どげざ」→「土下座」), punctuation turned into spaces, and every ASCII word stemmed and
padded with spaces so that English phrases only match whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_KATAKANA_START, _KATAKANA_END, _KANA_SHIFT = 0x30A1, 0x30F6, 0x60
# Long-vowel marks and wave dashes carry no meaning for matching (「ずーっと」=「ずっと」).
_DROP = str.maketrans("", "", "ー〜~゛゜")
# Doubled kana are the commonest typo (「くるんだけどど」). English letters are collapsed after
# stemming ("harrassment" = "harassment"); digits never, so 110 (the police) is not 10.
_REPEAT_KANA = re.compile(r"([\u3041-\u309f])\1+")
_REPEAT_LETTER = re.compile(r"([a-z])\1+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Anything that is neither a word character nor Japanese script separates phrases.
_SEPARATOR = re.compile(r"[^a-z0-9\u3005\u3041-\u309f\u4e00-\u9fff]+")
_SUFFIXES = ("ments", "ment", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")
_MIN_STEM = 3


def to_hiragana(text: str) -> str:
    """Fold katakana to hiragana so 「セクハラ」 and 「せくはら」 compare equal."""
    return "".join(
        chr(ord(ch) - _KANA_SHIFT) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch
        for ch in text
    )


def fold(text: str) -> str:
    """Width, case, script and repetition folding; no readings, no stemming."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = to_hiragana(text).translate(_DROP)
    return _REPEAT_KANA.sub(r"\1", text)


def stem(word: str) -> str:
    """A deliberately tiny English stemmer: enough to make harassed/harassing/harassment meet."""
    for suffix in _SUFFIXES:
        if suffix == "s" and word.endswith("ss"):
            continue
        if word.endswith(suffix) and len(word) - len(suffix) >= _MIN_STEM:
            word = word[: -len(suffix)] + ("y" if suffix == "ies" else "")
            break
    if word.endswith("e") and len(word) > _MIN_STEM + 1:
        word = word[:-1]
    return word


class Readings:
    """Replaces kana spellings by kanji (「なぐられた」→「殴られた」), longest reading first."""

    def __init__(self, table: Mapping[str, str]) -> None:
        folded = {fold(k): fold(v) for k, v in table.items() if k.strip()}
        self._table = folded
        keys = sorted(folded, key=len, reverse=True)
        self._pattern = re.compile("|".join(map(re.escape, keys))) if keys else None

    def apply(self, text: str) -> str:
        if self._pattern is None:
            return text
        return self._pattern.sub(lambda m: self._table[m.group(0)], text)


NO_READINGS = Readings({})


def render(text: str, readings: Readings = NO_READINGS, *, stem_words: bool = True) -> str:
    """The matchable form of `text` (see the module docstring); starts and ends with a space."""
    text = readings.apply(fold(text))
    text = _SEPARATOR.sub(" ", text)
    text = _ASCII_WORD.sub(lambda m: f" {_english(m.group(0), stem_words)} ", text)
    return " " + " ".join(text.split()) + " "


def _english(word: str, stem_words: bool) -> str:
    return _REPEAT_LETTER.sub(r"\1", stem(word) if stem_words else word)


def ascii_words(rendered: str) -> list[str]:
    """The stemmed English words of a rendered string."""
    return _ASCII_WORD.findall(rendered)


def has_japanese(text: str) -> bool:
    return any("\u3041" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
