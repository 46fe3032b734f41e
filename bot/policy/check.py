"""`kasuhara-bot policy check FILE`: what an administrator reads before going live.

For each passage: the concepts it is linked to and why (the cues found in its own text, or
its `concepts` field); then the concepts no passage covers, and any format problem. Nothing
here is sent to Slack; the text is for a terminal.
"""

from __future__ import annotations

import re
from pathlib import Path

from bot.policy.concepts import ConceptSet, Link, check_overrides, link_passages, load_concepts
from bot.policy.document import Passage, PolicyDocument, PolicyFormatError, load_policy
from bot.policy.matcher import PolicyMatcher
from bot.policy.normalize import Readings

_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
# 「…を以下のように定義します。」「次のとおりです:」: a sentence that introduces what follows it.
_LEAD_IN = re.compile(r"(以下|次)(のよう|のとおり|の通り)[^。]{0,30}[。:：]?$|[:：]$")


def run_policy_check(path: Path) -> tuple[str, bool]:
    """The report for `path` and whether it is fit to use (False: a format problem)."""
    try:
        doc = load_policy(path)
    except PolicyFormatError as exc:
        return f"format problem: {exc.message}", False
    concepts = load_concepts()
    problems = check_overrides(doc, concepts)
    if problems:
        return "\n".join(f"format problem: {path}: {p}" for p in problems), False
    links = link_passages(doc, concepts, Readings(dict(doc.vocabulary.readings)))
    lines = _header(doc, path)
    for passage in doc.passages:
        lines += _passage_lines(passage, links[passage.id], concepts)
    lines += _uncovered(links, concepts, PolicyMatcher(doc, concepts=concepts))
    warnings = _warnings(doc, links, concepts)
    lines += ["", "warnings:" if warnings else "warnings: none", *warnings]
    return "\n".join(lines), True


def _header(doc: PolicyDocument, path: Path) -> list[str]:
    source = doc.source
    where = " ".join(x for x in (source.publisher, source.url, source.date) if x)
    behaviours = len(doc.behaviours())
    return [
        f"policy: {doc.title}  ({path})",
        f"source: {where or '(not given)'}",
        f"format: OK; {len(doc.sections)} sections, {len(doc.passages)} passages, "
        f"{behaviours} numbered behaviours",
        "",
    ]


def _passage_lines(passage: Passage, links: tuple[Link, ...], concepts: ConceptSet) -> list[str]:
    mark = ""
    if passage.behaviour is not None:
        number = passage.behaviour
        mark = f" {_CIRCLED[number - 1] if number <= len(_CIRCLED) else number} {passage.label}"
    text = passage.text if len(passage.text) <= 40 else passage.text[:39] + "…"
    lines = [f"{passage.id} [{passage.section_title}]{mark}: {text}"]
    if not links:
        own = " (its own phrases still match)" if passage.phrases else ""
        lines.append(f"    → no concept{own}")
    for link in links:
        concept = concepts.get(link.concept)
        why = "set in the file" if link.why == ("file",) else "「" + "」「".join(link.why) + "」"
        lines.append(f"    → {concept.label_ja} ({concept.id}) {link.strength:.2f}  because {why}")
    return lines


def _uncovered(
    links: dict[str, tuple[Link, ...]], concepts: ConceptSet, matcher: PolicyMatcher
) -> list[str]:
    """Concepts no passage covers, grouped by what a question about them gets instead."""
    covered = {link.concept for found in links.values() for link in found}
    lines = ["", "concepts no passage covers, and what a question about them is answered with:"]
    for kind in ("behaviour", "topic"):
        by_answer: dict[str | None, list[str]] = {}
        for concept in concepts.concepts:
            if concept.kind == kind and concept.id not in covered:
                answer = matcher.stand_in(concept.id)
                by_answer.setdefault(answer, []).append(f"{concept.label_ja} ({concept.id})")
        lines.append(f"  {kind}s:" + ("" if by_answer else " none"))
        for answer, names in sorted(by_answer.items(), key=lambda item: item[0] is None):
            lines.append(f"    → {_short(matcher.doc.passage(answer)) if answer else 'declined'}")
            lines.append(f"        for {', '.join(names)}")
    return lines


def _short(passage: Passage) -> str:
    text = passage.text if len(passage.text) <= 24 else passage.text[:23] + "…"
    return f"{passage.id} 「{text}」"


def _warnings(
    doc: PolicyDocument, links: dict[str, tuple[Link, ...]], concepts: ConceptSet
) -> list[str]:
    warnings = []
    for passage in doc.behaviours():
        kinds = {concepts.get(link.concept).kind for link in links[passage.id]}
        if "behaviour" not in kinds and not passage.phrases:
            warnings.append(
                f"  behaviour {passage.behaviour} ({passage.id}) links to no behaviour concept: "
                "reports will rarely be matched to it; add `concepts` or `phrases`"
            )
    for passage, following in zip(doc.passages, doc.passages[1:], strict=False):
        if passage.section_title == following.section_title and _LEAD_IN.search(passage.text):
            warnings.append(
                f"  {passage.id} reads as the lead-in of what follows it; as the section's "
                "`lead` it is quoted above those passages instead of competing with them"
            )
    if not any(link.concept == "definition" for found in links.values() for link in found):
        warnings.append("  no passage defines customer harassment: 「カスハラって何?」 is declined")
    return warnings
