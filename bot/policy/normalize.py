"""Text normalisation shared by questions, phrases and passage text.

Everything that is matched goes through `render`, so a question and a vocabulary phrase written
in different scripts, widths or spellings end up as the same string. The rendered form is:
NFKC, lower-case, katakana folded to hiragana, long-vowel marks dropped, runs of a repeated
letter or kana collapsed (「いわれたた」→「いわれた」), drawn-out small vowels dropped
(「手ぇ」→「手」), kana readings replaced by their kanji (「どげざ」→「土下座」), counted
repetition read as such (「30回」→「何回」, "20 times" → "many times"), punctuation turned into
spaces, chat spellings written out ("wont" → "won t", "u" → "you"), and every ASCII word
stemmed and padded with spaces so that English phrases only match whole words.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Mapping

_KATAKANA_START, _KATAKANA_END, _KANA_SHIFT = 0x30A1, 0x30F6, 0x60
_HIRAGANA = {code: code - _KANA_SHIFT for code in range(_KATAKANA_START, _KATAKANA_END + 1)}
# Long-vowel marks and wave dashes carry no meaning for matching (「ずーっと」=「ずっと」).
_DROP = str.maketrans("", "", "ー〜~゛゜")
# Doubled kana are the commonest typo (「くるんだけどど」). English letters are collapsed after
# stemming ("harrassment" = "harassment"); digits never, so 110 (the police) is not 10.
_REPEAT_KANA = re.compile(r"([\u3041-\u309f])\1+")
# A small vowel after a kanji or after a kana of the same vowel only draws the sound out
# (「手ぇ」, 「ねぇ」, 「すごぉい」); after other kana it is part of a loanword (「ふぇいす」).
_VOWEL_ROWS = {
    "ぁ": "あかさたなはまやらわがざだばぱゃ",
    "ぃ": "いきしちにひみりぎじぢびぴ",
    "ぅ": "うくすつぬふむゆるぐずづぶぷゅ",
    "ぇ": "えけせてねへめれげぜでべぺ",
    "ぉ": "おこそとのほもよろをごぞどぼぽょ",
}
_DRAWN_OUT = re.compile(
    "|".join(f"(?<=[\u4e00-\u9fff{rows}]){small}" for small, rows in _VOWEL_ROWS.items())
)
# Counted repetition: 3 or more calls, mails, visits... read as 「何回」 / "many times", so the
# vocabulary needs no list of numbers (1 and 2 are not repetition; 110 has no counter).
_COUNTED_JA = re.compile(r"(?:[0-9]*[3-9]|[0-9]{2,}|[数十百千]+)(回|件|通|度)")
_COUNTED_EN = re.compile(
    r"\b(?:[0-9]*[3-9]|[0-9]{2,}|several|many|dozens of|a dozen|so many|multiple|three|four|five"
    r"|six|seven|eight|nine|ten|eleven|twelve|fifteen|twenty|thirty|forty|fifty|a hundred|hundreds)"
    r"\s+(times|calls|emails|mails|messages|texts|voicemails)\b"
)
# Apostrophe-less contractions, common in chat ("wont leave", "dont", "im"), and chat
# shorthand: written out so they meet the vocabulary's spelling.
_CHAT_WORDS = {
    "dont": "don t",
    "doesnt": "doesn t",
    "didnt": "didn t",
    "wont": "won t",
    "wouldnt": "wouldn t",
    "cant": "can t",
    "couldnt": "couldn t",
    "shouldnt": "shouldn t",
    "isnt": "isn t",
    "arent": "aren t",
    "wasnt": "wasn t",
    "werent": "weren t",
    "havent": "haven t",
    "hasnt": "hasn t",
    "im": "i m",
    "ive": "i ve",
    "u": "you",
    "ur": "your",
    "pls": "please",
    "plz": "please",
}
_REPEAT_LETTER = re.compile(r"([a-z])\1+")
_ASCII_WORD = re.compile(r"[a-z0-9]+")
# Anything that is neither a word character nor Japanese script separates phrases.
_SEPARATOR = re.compile(r"[^a-z0-9\u3005\u3041-\u309f\u4e00-\u9fff]+")
_SUFFIXES = ("ments", "ment", "ings", "ing", "edly", "ed", "ies", "es", "s", "ly")
_MIN_STEM = 3


def to_hiragana(text: str) -> str:
    """Fold katakana to hiragana so 「セクハラ」 and 「せくはら」 compare equal."""
    return text.translate(_HIRAGANA)


def fold(text: str) -> str:
    """Width, case, script and repetition folding; no readings, no stemming."""
    text = unicodedata.normalize("NFKC", text).lower()
    text = _REPEAT_KANA.sub(r"\1", to_hiragana(text).translate(_DROP))
    return _DRAWN_OUT.sub("", text) if any(v in text for v in _VOWEL_ROWS) else text


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


_MIN_COLLAPSED_READING = 4


def _plain(text: str) -> str:
    return to_hiragana(unicodedata.normalize("NFKC", text).lower()).translate(_DROP)


class Readings:
    """Replaces kana spellings by kanji (「なぐられた」→「殴られた」), longest reading first."""

    def __init__(self, table: Mapping[str, str]) -> None:
        # Folding collapses doubled kana, so 「たたい」 would become 「たい」 and fire inside
        # 「いたい」, 「したい」…: such a reading is kept only if it stays specific (4+ kana).
        folded = {
            fold(k): fold(v)
            for k, v in table.items()
            if k.strip() and (len(fold(k)) >= _MIN_COLLAPSED_READING or fold(k) == _plain(k))
        }
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
    text = _COUNTED_JA.sub(r"何\1", text)
    text = _COUNTED_EN.sub(r"many \1", text)
    text = _SEPARATOR.sub(" ", text)
    text = _ASCII_WORD.sub(lambda m: f" {_english(m.group(0), stem_words)} ", text)
    return " " + " ".join(text.split()) + " "


def _english(word: str, stem_words: bool) -> str:
    if word in _CHAT_WORDS:
        return " ".join(_english(part, stem_words) for part in _CHAT_WORDS[word].split())
    return _REPEAT_LETTER.sub(r"\1", stem(word) if stem_words else word)


def ascii_words(rendered: str) -> list[str]:
    """The stemmed English words of a rendered string."""
    return _ASCII_WORD.findall(rendered)


def has_japanese(text: str) -> bool:
    return any("\u3041" <= ch <= "\u30ff" or "\u4e00" <= ch <= "\u9fff" for ch in text)
