"""Turns a PolicyDocument into the phrase list the matcher searches.

Each passage contributes its own vocabulary (phrases, hints) and words lifted from its text, so
a document that ships no vocabulary still matches questions that use the policy's own words.
Document-wide cues (out of scope, internal harassment, customer context) become phrases of
pseudo-owners that compete with, or veto, the passages.
"""

from __future__ import annotations

import re

from bot.policy.analyzers import Analyzer
from bot.policy.concepts import ConceptSet
from bot.policy.document import PolicyDocument
from bot.policy.lexicon import Phrase, compile_phrase, with_document_frequency
from bot.policy.normalize import Readings, render

OUT_OF_SCOPE = "#out_of_scope"
INTERNAL = "#internal_harassment"
COLLEAGUE = "#colleague"
TOPIC = "#topic"
CUSTOMER = "#customer_context"
CONCEPT = "@"  # owner prefix of a concept's phrases: "@physical_attack"

# Clause boundaries in policy text: punctuation, brackets and list markers such as ①.
_CLAUSE = re.compile(r"[、。,.()（）「」『』・:：\s\u2460-\u2473]+")
_COMPOUND = re.compile(r"[\u4e00-\u9fff\u30a0-\u30ff々]{2,}")
_MAX_CLAUSE = 12


def text_phrases(text: str) -> list[str]:
    """Short clauses and kanji/katakana compounds of a passage text."""
    phrases: list[str] = []
    for clause in _CLAUSE.split(text):
        if 2 <= len(clause) <= _MAX_CLAUSE:
            phrases.append(clause)
        phrases.extend(_COMPOUND.findall(clause))
    return list(dict.fromkeys(phrases))


def build_phrases(
    doc: PolicyDocument, analyzer: Analyzer, readings: Readings, concepts: ConceptSet
) -> list[Phrase]:
    """Every phrase the matcher looks for: per passage, per concept, per cue class."""
    phrases: list[Phrase] = []
    profiles: dict[str, str] = {}
    for concept in concepts.concepts:
        owner = CONCEPT + concept.id
        sources = [(t, "phrase") for t in (*concept.link, *concept.phrases)]
        sources += [(t, "hint") for t in concept.hints]
        own = _compile_all(owner, sources, analyzer, readings)
        profiles[owner] = " | ".join(p.profile for p in own)
        phrases.extend(own)
    for passage in doc.passages:
        sources = [(t, "phrase") for t in passage.phrases]
        sources += [(t, "hint") for t in passage.hints]
        sources += [(t, "text") for t in text_phrases(passage.text)]
        own = _compile_all(passage.id, sources, analyzer, readings)
        profiles[passage.id] = render(passage.text, readings) + " | ".join(p.profile for p in own)
        phrases.extend(own)
    vocabulary = doc.vocabulary
    for owner, texts in (
        (OUT_OF_SCOPE, vocabulary.out_of_scope),
        (INTERNAL, vocabulary.internal_harassment),
        (COLLEAGUE, vocabulary.colleagues),
        (CUSTOMER, vocabulary.customer_context),
        (TOPIC, vocabulary.topic),
    ):
        phrases.extend(_compile_all(owner, [(t, "phrase") for t in texts], analyzer, readings))
    return with_document_frequency(phrases, profiles)


def _compile_all(
    owner: str, sources: list[tuple[str, str]], analyzer: Analyzer, readings: Readings
) -> list[Phrase]:
    # The first spelling wins, so explicit vocabulary outranks the same words lifted from text.
    unique: dict[tuple[tuple[str, ...], ...], Phrase] = {}
    for text, kind in sources:
        phrase = compile_phrase(owner, text, kind, analyzer, readings)
        if phrase is not None:
            unique.setdefault(phrase.pieces, phrase)
    return list(unique.values())
