"""How text is cut into matchable forms.

Every analyzer returns a tuple of "forms" of a text; a vocabulary phrase matches when each of
its parts occurs in the same form of the question. Form 0 is always the character form from
`normalize.render`, so the morphological analyzers can only add matches, never lose them; that
keeps the comparison in TOKENIZERS.md about what a tokenizer adds. The default is the character
analyzer: it measured best (TOKENIZERS.md) and needs no dictionary.
"""

from __future__ import annotations

import unicodedata
from collections.abc import Callable, Iterable
from typing import Protocol

from bot.policy.normalize import Readings, fold, has_japanese, render

ANALYZER_NAMES = ("chars", "sudachi", "fugashi")


class Analyzer(Protocol):
    name: str

    def forms(self, text: str) -> tuple[str, ...]: ...


class CharAnalyzer:
    """Character-level matching on the normalised text (substrings and character bigrams)."""

    name = "chars"

    def __init__(self, readings: Readings) -> None:
        self._readings = readings

    def forms(self, text: str) -> tuple[str, ...]:
        return (render(text, self._readings),)


# A morpheme is reduced to (lemma, reading); both are folded like the character form.
Morphemes = Callable[[str], Iterable[tuple[str, str]]]


class MorphAnalyzer:
    """Character form plus a lemma form (「殴られた」→「殴る れる た」) and a kana reading form."""

    def __init__(self, name: str, readings: Readings, morphemes: Morphemes) -> None:
        self.name = name
        self._chars = CharAnalyzer(readings)
        self._morphemes = morphemes

    def forms(self, text: str) -> tuple[str, ...]:
        chars = self._chars.forms(text)[0]
        if not has_japanese(text):
            return (chars, "", "")
        pairs = [
            (fold(lemma), fold(reading))
            for lemma, reading in self._morphemes(unicodedata.normalize("NFKC", text))
        ]
        lemmas = " " + " ".join(lemma for lemma, _ in pairs if lemma.strip()) + " "
        reading = "".join(reading for _, reading in pairs)
        return (chars, lemmas, reading)


def _sudachi_morphemes() -> Morphemes:
    from sudachipy import Dictionary, SplitMode

    tokenizer = Dictionary(dict="core").create()

    def morphemes(text: str) -> Iterable[tuple[str, str]]:
        for m in tokenizer.tokenize(text, SplitMode.C):
            yield m.normalized_form(), m.reading_form()

    return morphemes


def _fugashi_morphemes() -> Morphemes:
    import fugashi

    tagger = fugashi.Tagger()

    def morphemes(text: str) -> Iterable[tuple[str, str]]:
        for word in tagger(text):
            lemma = getattr(word.feature, "lemma", None) or word.surface
            kana = getattr(word.feature, "kana", None) or word.surface
            yield lemma.split("-")[0], kana

    return morphemes


def make_analyzer(name: str, readings: Readings) -> Analyzer:
    if name == "chars":
        return CharAnalyzer(readings)
    if name == "sudachi":
        return MorphAnalyzer(name, readings, _sudachi_morphemes())
    if name == "fugashi":
        return MorphAnalyzer(name, readings, _fugashi_morphemes())
    raise ValueError(f"unknown analyzer {name!r}; expected one of {ANALYZER_NAMES}")
