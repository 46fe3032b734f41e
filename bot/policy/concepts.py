"""The product's customer-harassment concepts, and how a policy's passages link to them.

Concepts (data/concepts.json, guide in CONCEPTS.md) are what every Japanese customer-harassment
policy talks about: the behaviours of the MHLW カスタマーハラスメント対策企業マニュアル and the
topics around them (definition, the organisation's response, support, training, …). Each has
`link` cues, the words policies use for it, and `phrases`, the words staff use. A passage is
linked to the concepts whose cues occur in its own text (or in its section's heading and lead);
a passage's `concepts` field in the policy file replaces that.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Literal

from bot.policy.document import Passage, PolicyDocument, PolicyFormatError
from bot.policy.normalize import Readings, render

CONCEPTS_PATH = Path(__file__).parent / "data" / "concepts.json"
Kind = Literal["behaviour", "topic"]
# A behaviour named in a passage that is not one of the numbered behaviours (an introduction
# listing 「暴行、暴言、不当な要求」) is mentioned in passing; the list item is the answer.
_IN_PASSING = 0.35
# Heading and lead-in cues say what the whole section is about, less than the passage itself.
_CONTEXT = 0.5
# Links weaker than this share of the concept's strongest link are dropped.
_MIN_LINK = 0.3
# A list item names its category first and gives examples after it, in brackets or after a
# colon: 「威圧的な言動(机や車両を叩く、土下座の要求…)」「精神的暴力:怒鳴る、威圧…」. A concept
# found only among the examples is less what the item is about than the one in its head.
_EXAMPLE = 0.5
_EXAMPLES_START = re.compile(r"[(（:：]")


@dataclass(frozen=True)
class Concept:
    id: str
    kind: Kind
    label_ja: str
    label_en: str
    link: tuple[str, ...]
    related: tuple[str, ...]
    phrases: tuple[str, ...]
    hints: tuple[str, ...]
    covers: tuple[str, ...] = ()  # concepts this one includes (土下座 is a demand to apologise)
    manner: bool = False  # says how often or how long (しつこく, 延々と), not what was done
    # Its cues mean it only in the list of behaviours (「その他」 elsewhere is any other thing).
    list_only: bool = False


@dataclass(frozen=True)
class Link:
    """Passage → concept, strength in (0, 1]; `why` names the cues found, or "file"."""

    concept: str
    strength: float
    why: tuple[str, ...]


@dataclass(frozen=True)
class ConceptSet:
    version: int
    concepts: tuple[Concept, ...]

    def get(self, concept_id: str) -> Concept:
        for concept in self.concepts:
            if concept.id == concept_id:
                return concept
        raise KeyError(concept_id)

    @property
    def ids(self) -> frozenset[str]:
        return frozenset(c.id for c in self.concepts)


@lru_cache(maxsize=4)
def load_concepts(path: Path = CONCEPTS_PATH) -> ConceptSet:
    """Read the concept file; PolicyFormatError (one line) if it is malformed."""
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
        concepts = tuple(_concept(entry) for entry in raw["concepts"])
        version = int(raw["version"])
    except (OSError, ValueError, KeyError, TypeError) as exc:
        raise PolicyFormatError(f"{path}: not a concept file ({exc})") from None
    known = {c.id for c in concepts}
    for concept in concepts:
        unknown = (set(concept.related) | set(concept.covers)) - known
        if unknown:
            raise PolicyFormatError(f"{path}: {concept.id}: unknown related {sorted(unknown)}")
    return ConceptSet(version, concepts)


def _concept(entry: dict[str, object]) -> Concept:
    label = entry["label"]
    if entry["kind"] not in ("behaviour", "topic") or not isinstance(label, dict):
        raise ValueError(f"bad kind or label in {entry.get('id')}")
    return Concept(
        id=str(entry["id"]),
        kind="behaviour" if entry["kind"] == "behaviour" else "topic",
        label_ja=str(label["ja"]),
        label_en=str(label["en"]),
        link=_strings(entry.get("link")),
        related=_strings(entry.get("related")),
        phrases=_strings(entry.get("phrases")),
        hints=_strings(entry.get("hints")),
        covers=_strings(entry.get("covers")),
        manner=entry.get("manner") is True,
        list_only=entry.get("list_only") is True,
    )


def _strings(value: object) -> tuple[str, ...]:
    if value is None:
        return ()
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise ValueError("expected a list of strings")
    return tuple(value)


def check_overrides(doc: PolicyDocument, concepts: ConceptSet) -> list[str]:
    """Problems with the file's own `concepts` fields: unknown concept ids."""
    problems = []
    for passage in doc.passages:
        unknown = sorted(set(passage.concepts or ()) - concepts.ids)
        if unknown:
            problems.append(f"passage {passage.id!r}: unknown concept(s) {', '.join(unknown)}")
    return problems


def link_passages(
    doc: PolicyDocument, concepts: ConceptSet, readings: Readings
) -> dict[str, tuple[Link, ...]]:
    """Passage id → its concept links, strongest first (see the module docstring)."""
    has_behaviours = any(p.behaviour is not None for p in doc.passages)
    lists = {p.section_title for p in doc.passages if p.behaviour is not None}
    keys = {c.id: [(cue, cue_key(cue, readings)) for cue in c.link] for c in concepts.concepts}
    raw: dict[str, dict[str, tuple[float, tuple[str, ...]]]] = {}
    for passage in doc.passages:
        if passage.concepts is not None:
            unknown = sorted(set(passage.concepts) - concepts.ids)
            if unknown:
                raise PolicyFormatError(f"passage {passage.id!r}: unknown concept(s) {unknown}")
            raw[passage.id] = dict.fromkeys(passage.concepts, (1.0, ("file",)))
        else:
            in_list = not has_behaviours or passage.section_title in lists
            raw[passage.id] = _auto(passage, concepts, keys, readings, has_behaviours, in_list)
    best: dict[str, float] = {}
    for found in raw.values():
        for cid, (score, _) in found.items():
            best[cid] = max(best.get(cid, 0.0), score)
    links: dict[str, tuple[Link, ...]] = {}
    for pid, found in raw.items():
        kept = [
            Link(cid, round(score / best[cid], 3), why)
            for cid, (score, why) in found.items()
            if score >= _MIN_LINK * best[cid]
        ]
        links[pid] = tuple(sorted(kept, key=lambda link: -link.strength))
    return links


def _auto(
    passage: Passage,
    concepts: ConceptSet,
    keys: dict[str, list[tuple[str, str]]],
    readings: Readings,
    has_behaviours: bool,
    in_list: bool,
) -> dict[str, tuple[float, tuple[str, ...]]]:
    text = render(passage.text, readings)
    behaviour_item = passage.behaviour is not None
    head = render(_item_head(passage.text), readings) if behaviour_item else text
    context = render(f"{passage.section_heading} {passage.lead or ''}", readings)
    found: dict[str, tuple[float, tuple[str, ...]]] = {}
    for concept in concepts.concepts:
        if concept.list_only and not in_list:
            continue
        if concept.kind == "topic" and behaviour_item:
            # 「その他、パートナーの心身の健康や安全を脅かす行為」 is a behaviour, not the
            # policy's word on staff support: a question about support must not quote it.
            continue
        cues = [c for c in concept.link if cue_key(c, readings) in text]
        # A list item's heading (「対象となる行為」) is about the list, not about each item.
        in_context = (
            [] if behaviour_item else [c for c in concept.link if cue_key(c, readings) in context]
        )
        if not cues and not in_context:
            continue
        # More cues of one concept: more central, with diminishing returns.
        score = math.sqrt(len(cues)) + _CONTEXT * min(1.0, len(in_context))
        if cues and not any(cue_key(c, readings) in head for c in cues):
            score *= _EXAMPLE
        if concept.kind == "behaviour" and has_behaviours and passage.behaviour is None:
            score *= _IN_PASSING
        found[concept.id] = (score, tuple(dict.fromkeys(cues + in_context)))
    # A passage that names many concepts says less about each.
    spread = math.sqrt(max(1, len(found)))
    return {cid: (score / spread, why) for cid, (score, why) in found.items()}


def _item_head(text: str) -> str:
    """The part of a list item before its examples (the whole item when it gives none)."""
    start = _EXAMPLES_START.search(text)
    return text[: start.start()] if start and start.start() > 0 else text


def cue_key(cue: str, readings: Readings) -> str:
    """The rendered cue, as it is looked up in rendered text (normalize.render); "\x00" (never
    found) when folding leaves less than two characters."""
    rendered = render(cue, readings).strip()
    if len(rendered) < 2:
        return "\x00"
    return f" {rendered} " if rendered.isascii() else rendered
