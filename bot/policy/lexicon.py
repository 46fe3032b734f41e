"""Vocabulary phrases compiled for matching, and the matching itself.

A phrase is a string; parts joined by "&" must all occur (in any order), and an English word
ending in "*" matches as a prefix ("intimidat*"). Matching is substring search on the rendered
forms of the question. When a longer phrase covers a shorter one's text, the shorter one is
dropped: "hit on me" (sexual) must not also count as "hit" (physical); a passage's own words
never hide a concept's, though.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from bot.policy.analyzers import Analyzer
from bot.policy.normalize import Readings, ascii_words, render

Span = tuple[int, int]
# Owner prefixes of concepts ("@") and cue classes ("#"), as opposed to passage ids.
_SHARED_OWNERS = "@#"
# Base weights by kind of phrase: explicit vocabulary, weak hints, words taken from the text.
WEIGHTS = {"phrase": 1.0, "hint": 0.45, "text": 0.6}


@dataclass(frozen=True, slots=True)
class Phrase:
    owner: str
    pieces: tuple[tuple[str, ...], ...]  # one tuple of rendered forms per "&" part
    weight: float

    @property
    def profile(self) -> str:
        return " | ".join(p[0] for p in self.pieces)


@dataclass(frozen=True)
class Hit:
    owner: str
    weight: float
    spans: tuple[Span, ...]
    length: int


def render_piece(piece: str, analyzer: Analyzer, readings: Readings) -> tuple[str, ...]:
    """Rendered forms of one phrase part, trimmed so Japanese parts match inside words."""
    if piece.endswith("*"):
        prefix = render(piece[:-1], readings, stem_words=False).rstrip()
        return (prefix,)
    forms = analyzer.forms(piece)
    first = forms[0].strip()
    first = (" " if first[:1].isascii() else "") + first + (" " if first[-1:].isascii() else "")
    # The lemma form keeps its padding (whole morphemes); the reading form matches anywhere.
    lemmas = tuple(f if f.strip() else "" for f in forms[1:2])
    readings_form = tuple(f.strip() for f in forms[2:])
    return (first, *lemmas, *readings_form)


def compile_phrase(
    owner: str, text: str, kind: str, analyzer: Analyzer, readings: Readings
) -> Phrase | None:
    pieces = tuple(render_piece(p.strip(), analyzer, readings) for p in text.split("&"))
    if not pieces or any(not p[0].strip() or _lone_kana(p[0]) for p in pieces):
        return None
    return Phrase(owner, pieces, WEIGHTS[kind] * _length_factor(pieces))


def _lone_kana(rendered: str) -> bool:
    """One kana left after folding (「ビビ」→「び」, 「いい」→「い」) matches almost anything."""
    text = rendered.strip()
    return len(text) == 1 and "\u3041" <= text <= "\u309f"


def _length_factor(pieces: Sequence[tuple[str, ...]]) -> float:
    # Longer phrases are more specific; an English word counts like a few kanji.
    units = 0.0
    for piece in pieces:
        words = ascii_words(piece[0])
        units += 2.5 * len(words)
        # A kanji says about as much as two kana.
        units += sum(2 if _is_kanji(ch) else 1 for ch in re.sub(r"[ a-z0-9]", "", piece[0]))
    return min(1.0, 0.55 + 0.15 * units)


def _is_kanji(ch: str) -> bool:
    return "\u4e00" <= ch <= "\u9fff" or ch == "々"


def with_document_frequency(phrases: list[Phrase], profiles: dict[str, str]) -> list[Phrase]:
    """Down-weight phrases that also fit other passages, as IDF would."""
    texts = list(profiles.values())
    # Character pairs of each profile: a cheap first test before the substring search.
    grams = [_bigrams(t) for t in texts]
    seen: dict[tuple[str, ...], int] = {}
    result = []
    for phrase in phrases:
        if phrase.owner not in profiles:
            result.append(phrase)
            continue
        # Unstripped, so an English word only counts as a whole word ("fir" ≠ "first").
        keys = tuple(p[0] for p in phrase.pieces)
        if keys not in seen:
            # Most phrases have one part: a plain containment count is much cheaper.
            first, rest = keys[0], keys[1:]
            pairs = _bigrams(first)
            fits = [t for t, g in zip(texts, grams, strict=True) if pairs <= g and first in t]
            seen[keys] = sum(all(k in t for k in rest) for t in fits) if rest else len(fits)
        df = seen[keys]
        result.append(Phrase(phrase.owner, phrase.pieces, phrase.weight / math.sqrt(max(df, 1))))
    return result


def _bigrams(text: str) -> set[str]:
    return {text[i : i + 2] for i in range(len(text) - 1)}


class Lexicon:
    def __init__(self, phrases: Iterable[Phrase], detectors: frozenset[str] = frozenset()) -> None:
        """`detectors` are owners whose hits neither cover nor get covered by others."""
        self.phrases = tuple(phrases)
        self._detectors = detectors
        self._words = {w for ph in self.phrases for p in ph.pieces for w in ascii_words(p[0])}
        self._prefixes = tuple(
            p[0].strip()
            for ph in self.phrases
            for p in ph.pieces
            if p[0].startswith(" ") and not p[0].endswith(" ")
        )
        self._deletions = _deletion_index(self._words)
        forms = max((len(p) for ph in self.phrases for p in ph.pieces), default=1)
        self._keys = [
            [(ph.pieces[0][i], n) for n, ph in enumerate(self.phrases) if _has_form(ph, i)]
            for i in range(forms)
        ]

    def hits(self, forms: tuple[str, ...]) -> list[Hit]:
        """Every phrase that occurs, longest first, minus those covered by a longer one."""
        forms = (self.correct_spelling(forms[0]), *forms[1:])
        found: dict[int, Hit] = {}
        for i, question in enumerate(forms):
            # Cheap pre-filter on the first part; most phrases fail here.
            for key, index in self._keys[i] if question else ():
                if key in question and index not in found:
                    hit = _match(self.phrases[index], forms)
                    if hit is not None:
                        found[index] = hit
        return self._select(list(found.values()))

    def _select(self, found: list[Hit]) -> list[Hit]:
        found.sort(key=lambda h: (-h.length, -h.weight))
        detected = [h for h in found if h.owner in self._detectors]
        rest = [h for h in found if h.owner not in self._detectors]
        # A passage's own words (owners without a "@"/"#" prefix) never hide a concept's or a
        # cue class's: 「基本理念」 from a passage must not take 「理念」 (the mission concept).
        shared = _drop_covered([h for h in rest if h.owner[:1] in _SHARED_OWNERS])
        own = [h for h in rest if h.owner[:1] not in _SHARED_OWNERS]
        return _drop_covered(shared + own) + detected

    def correct_spelling(self, rendered: str) -> str:
        """Replace unknown English words one edit away from a vocabulary word."""
        for word in set(ascii_words(rendered)):
            if len(word) < 6 or word in self._words or word.startswith(self._prefixes):
                continue
            fixed = self._nearest(word)
            if fixed:
                rendered = rendered.replace(f" {word} ", f" {fixed} ")
        return rendered

    def _nearest(self, word: str) -> str | None:
        # One letter left out or one letter too many; substitutions guess wrong too often.
        if word in self._deletions:
            return self._deletions[word]
        for i in range(len(word)):
            shorter = word[:i] + word[i + 1 :]
            if shorter in self._words:
                return shorter
        return None


def _deletion_index(words: Iterable[str]) -> dict[str, str]:
    index: dict[str, str] = {}
    for word in sorted(words):
        if len(word) < 5:
            continue
        for i in range(len(word)):
            index.setdefault(word[:i] + word[i + 1 :], word)
    return index


def _has_form(phrase: Phrase, i: int) -> bool:
    return all(i < len(p) and p[i] for p in phrase.pieces)


def _match(phrase: Phrase, forms: tuple[str, ...]) -> Hit | None:
    for i, question in enumerate(forms):
        if not question:
            continue
        parts = [p[i] if i < len(p) else "" for p in phrase.pieces]
        if all(part and part in question for part in parts):
            spans = tuple((s := question.find(p), s + len(p)) for p in parts) if i == 0 else ()
            length = sum(len(p.strip()) for p in parts)
            return Hit(phrase.owner, phrase.weight, spans, length)
    return None


def _drop_covered(hits: list[Hit]) -> list[Hit]:
    taken: list[Span] = []
    parts: set[Span] = set()  # the parts of longer "A&B" hits
    kept = []
    for hit in hits:
        if hit.spans and all(_covered(span, taken) for span in hit.spans):
            continue
        # 「ボンネットを…叩かれ」 (`ボンネットを&叩かれ`) holds the very word 「叩かれ」: the car
        # was hit, not the person.
        if len(hit.spans) == 1 and hit.spans[0] in parts:
            continue
        kept.append(hit)
        taken.extend(hit.spans)
        if len(hit.spans) > 1:
            parts.update(hit.spans)
    return kept


def _covered(span: Span, taken: list[Span]) -> bool:
    start, end = span
    return any(a <= start and end <= b and b - a > end - start for a, b in taken)
