"""The policy as data: immutable document objects and the loader that validates them."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from pydantic import ValidationError

from bot.policy.schema import (
    DocumentModel,
    PassageModel,
    SourceModel,
    VocabularyModel,
    walk_sections,
)

DATA_DIR = Path(__file__).parent / "data"
DEFAULT_POLICY_PATH = DATA_DIR / "kasuhara-policy.ja.json"
COMMON_VOCABULARY_PATH = DATA_DIR / "common-vocabulary.json"


class PolicyFormatError(Exception):
    """A policy file is missing, not JSON, or not in the documented format (one-line message)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def titled(number: str, heading: str) -> str:
    """「2.(1) 見出し」 for a numbered section, the bare heading for an unnumbered one."""
    return (
        f"{number}. {heading}"
        if number and number[-1:].isalnum()
        else f"{number} {heading}".strip()
    )


@dataclass(frozen=True)
class Section:
    number: str  # full number, "2.(1)"; "" when the document does not number it
    heading: str
    lead: str | None = None  # the sentence introducing the section's list, verbatim
    depth: int = 0

    @property
    def title(self) -> str:
        return titled(self.number, self.heading)


@dataclass(frozen=True)
class Source:
    """Where the policy text was published (FORMAT.md `source`); informational only."""

    url: str | None = None
    publisher: str | None = None
    date: str | None = None
    note: str | None = None


@dataclass(frozen=True)
class Passage:
    id: str
    section_number: str
    section_heading: str
    text: str
    behaviour: int | None
    label: str | None
    phrases: tuple[str, ...]
    # Weak cues: they support a passage that something else matched but never carry it alone.
    hints: tuple[str, ...] = ()
    # Concept ids given in the file; None means "link automatically from the text".
    concepts: tuple[str, ...] | None = None
    lead: str | None = None  # the section's lead-in sentence, quoted above the passage

    @property
    def section_title(self) -> str:
        return titled(self.section_number, self.section_heading)


@dataclass(frozen=True)
class Vocabulary:
    """Language-level cues that are not tied to one passage."""

    readings: tuple[tuple[str, str], ...] = ()
    out_of_scope: tuple[str, ...] = ()
    internal_harassment: tuple[str, ...] = ()
    colleagues: tuple[str, ...] = ()
    customer_context: tuple[str, ...] = ()
    topic: tuple[str, ...] = ()

    def merged(self, other: Vocabulary) -> Vocabulary:
        return Vocabulary(
            readings=self.readings + other.readings,
            out_of_scope=self.out_of_scope + other.out_of_scope,
            internal_harassment=self.internal_harassment + other.internal_harassment,
            colleagues=self.colleagues + other.colleagues,
            customer_context=self.customer_context + other.customer_context,
            topic=self.topic + other.topic,
        )


@dataclass(frozen=True)
class PolicyDocument:
    title: str
    sections: tuple[Section, ...]
    passages: tuple[Passage, ...]
    vocabulary: Vocabulary = field(default_factory=Vocabulary)
    language: str = "ja"
    # Quoted when a question is about the topic (「カスハラ」) but nothing more specific fits.
    fallback_passage: str | None = None
    source: Source = field(default_factory=Source)

    def behaviours(self) -> list[Passage]:
        """The numbered example behaviours, in number order."""
        numbered = [p for p in self.passages if p.behaviour is not None]
        return sorted(numbered, key=lambda p: p.behaviour or 0)

    def passage(self, passage_id: str) -> Passage:
        for passage in self.passages:
            if passage.id == passage_id:
                return passage
        raise KeyError(passage_id)


def load_policy(path: Path | None = None) -> PolicyDocument:
    """Load and validate a policy file; None means the bundled default."""
    path = DEFAULT_POLICY_PATH if path is None else Path(path)
    model = parse_policy(_read_json(path), str(path))
    return _to_document(model, _common_vocabulary() if model.use_common_vocabulary else None)


def parse_policy(raw: object, source: str) -> DocumentModel:
    """Validate already-decoded JSON; `source` names it in the error message."""
    try:
        return DocumentModel.model_validate(raw)
    except ValidationError as exc:
        raise PolicyFormatError(f"{source}: {_first_error(exc)}") from None


def _read_json(path: Path) -> object:
    try:
        raw = json.loads(path.read_text(encoding="utf-8"))
    except OSError as exc:
        raise PolicyFormatError(f"{path}: cannot read the file ({exc.strerror})") from None
    except UnicodeDecodeError:
        raise PolicyFormatError(f"{path}: not UTF-8 text") from None
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise PolicyFormatError(f"{path}: not valid JSON ({where}: {exc.msg})") from None
    return raw


def _first_error(exc: ValidationError) -> str:
    error = exc.errors()[0]
    where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in error["loc"])
    message = error["msg"].removeprefix("Value error, ")
    more = f" (and {exc.error_count() - 1} more problems)" if exc.error_count() > 1 else ""
    return f"{where.lstrip('.') or 'document'}: {message}{more}"


def _common_vocabulary() -> Vocabulary:
    model = parse_policy_vocabulary(COMMON_VOCABULARY_PATH)
    return _to_vocabulary(model)


def parse_policy_vocabulary(path: Path) -> VocabularyModel:
    raw = _read_json(path)
    try:
        return VocabularyModel.model_validate(raw)
    except ValidationError as exc:
        raise PolicyFormatError(f"{path}: {_first_error(exc)}") from None


def _to_vocabulary(model: VocabularyModel) -> Vocabulary:
    return Vocabulary(
        readings=tuple(model.readings.items()),
        out_of_scope=tuple(model.out_of_scope),
        internal_harassment=tuple(model.internal_harassment),
        colleagues=tuple(model.colleagues),
        customer_context=tuple(model.customer_context),
        topic=tuple(model.topic),
    )


def _to_document(model: DocumentModel, common: Vocabulary | None) -> PolicyDocument:
    sections: list[Section] = []
    passages: list[Passage] = []
    for path, s in walk_sections(model.sections):
        depth = path.count(".") if path else 0
        section = Section(path, s.heading, s.lead, depth)
        sections.append(section)
        passages += [_to_passage(p, section) for p in s.passages]
    own = _to_vocabulary(model.vocabulary)
    return PolicyDocument(
        title=model.title,
        sections=tuple(sections),
        passages=tuple(passages),
        vocabulary=common.merged(own) if common else own,
        language=model.language,
        fallback_passage=model.fallback_passage,
        source=_to_source(model.source),
    )


def _to_passage(p: PassageModel, section: Section) -> Passage:
    return Passage(
        id=p.id,
        section_number=section.number,
        section_heading=section.heading,
        text=p.text,
        behaviour=p.behaviour,
        label=p.label,
        phrases=tuple(p.phrases),
        hints=tuple(p.hints),
        concepts=None if p.concepts is None else tuple(p.concepts),
        lead=section.lead,
    )


def _to_source(model: SourceModel | None) -> Source:
    if model is None:
        return Source()
    return Source(model.url, model.publisher, model.date, model.note)
