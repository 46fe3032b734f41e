"""The on-disk shape of a policy document (see FORMAT.md), validated with pydantic."""

from __future__ import annotations

from typing import Annotated

from pydantic import BaseModel, ConfigDict, Field, StringConstraints, model_validator

NonEmpty = Annotated[str, StringConstraints(strip_whitespace=True, min_length=1)]
PhraseList = list[NonEmpty]


class _Strict(BaseModel):
    # A misspelt key in a hand-edited file should fail loudly, not be ignored.
    model_config = ConfigDict(extra="forbid", frozen=True)


class VocabularyModel(_Strict):
    readings: dict[NonEmpty, NonEmpty] = Field(default_factory=dict)
    out_of_scope: PhraseList = Field(default_factory=list)
    internal_harassment: PhraseList = Field(default_factory=list)
    colleagues: PhraseList = Field(default_factory=list)
    topic: PhraseList = Field(default_factory=list)
    customer_context: PhraseList = Field(default_factory=list)


class SourceModel(_Strict):
    """Where the text was published: shown by `policy check`, never matched."""

    url: NonEmpty | None = None
    publisher: NonEmpty | None = None
    date: NonEmpty | None = None  # as the document gives it: 2025-04-01, 令和7年4月1日 …
    note: NonEmpty | None = None


class PassageModel(_Strict):
    id: NonEmpty
    text: NonEmpty
    behaviour: Annotated[int, Field(ge=1)] | None = None
    label: NonEmpty | None = None
    # Concept ids (bot/policy/data/concepts.json): replace the automatic linking when given.
    concepts: PhraseList | None = None
    phrases: PhraseList = Field(default_factory=list)
    hints: PhraseList = Field(default_factory=list)

    @model_validator(mode="after")
    def _label_goes_with_behaviour(self) -> PassageModel:
        if self.behaviour is not None and self.label is None:
            raise ValueError(f"passage {self.id!r} has a behaviour number but no label")
        return self


class SectionModel(_Strict):
    number: NonEmpty | None = None  # "2", "(1)", or none for an unnumbered heading
    heading: NonEmpty
    lead: NonEmpty | None = None  # the sentence that introduces the section's list, verbatim
    passages: list[PassageModel] = Field(default_factory=list)
    sections: list[SectionModel] = Field(default_factory=list)

    @model_validator(mode="after")
    def _not_empty(self) -> SectionModel:
        if not self.passages and not self.sections:
            raise ValueError(f"section {self.heading!r} has neither passages nor sections")
        return self


class DocumentModel(_Strict):
    format: int = Field(1, ge=1, le=2)
    title: NonEmpty
    language: NonEmpty = "ja"
    source: SourceModel | None = None
    use_common_vocabulary: bool = True
    fallback_passage: NonEmpty | None = None
    sections: list[SectionModel] = Field(min_length=1)
    vocabulary: VocabularyModel = Field(default_factory=VocabularyModel)

    @model_validator(mode="after")
    def _ids_and_numbers_are_consistent(self) -> DocumentModel:
        paths = [path for path, _ in walk_sections(self.sections) if path]
        _unique("section number", paths)
        passages = [p for _, s in walk_sections(self.sections) for p in s.passages]
        _unique("passage id", [p.id for p in passages])
        if self.fallback_passage and self.fallback_passage not in {p.id for p in passages}:
            raise ValueError(f"fallback_passage {self.fallback_passage!r} is not a passage id")
        numbers = sorted(p.behaviour for p in passages if p.behaviour is not None)
        if numbers != list(range(1, len(numbers) + 1)):
            raise ValueError(f"behaviour numbers must run 1..{len(numbers)} once each")
        return self


def walk_sections(sections: list[SectionModel], parent: str = "") -> list[tuple[str, SectionModel]]:
    """Every section, depth first, with its full number ("2.(1)"; "" when unnumbered)."""
    found: list[tuple[str, SectionModel]] = []
    for section in sections:
        path = _join(parent, section.number) if section.number else ""
        found.append((path, section))
        found += walk_sections(section.sections, path or parent)
    return found


def _join(parent: str, number: str) -> str:
    if not parent:
        return number
    return f"{parent}{number}" if parent.endswith(".") else f"{parent}.{number}"


def _unique(what: str, values: list[str]) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            raise ValueError(f"duplicate {what} {value!r}")
        seen.add(value)
