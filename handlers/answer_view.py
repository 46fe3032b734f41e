"""A policy answer as a message: verbatim quotes with their section, then a next step."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from bot.messages import Catalog
from bot.policy.document import Passage, PolicyDocument
from handlers.slack_limits import SECTION_TEXT_MAX
from handlers.text import clip, escape, quote, section

if TYPE_CHECKING:
    from bot.policy.matcher import Answer  # the matcher is loaded in the background

Message = dict[str, Any]


def _title(p: Passage, cat: Catalog) -> str:
    return cat.t("answer.quote_title", title=escape(p.section_title))


def _quoted(p: Passage, cat: Catalog) -> str:
    # A list item is quoted under the sentence that introduces the list (FORMAT.md `lead`).
    # Policy text is verbatim but is sent as mrkdwn: & < > are escaped (「<該当例>」 stays text).
    lead = f"{quote(escape(p.lead))}\n" if p.lead else ""
    return clip(f"*{_title(p, cat)}*\n{lead}{quote(escape(p.text))}", SECTION_TEXT_MAX)


def _sections(doc: PolicyDocument) -> str:
    return "\n".join(f"• {escape(s.title)}" for s in doc.sections)


def build_declined(answer: Answer, doc: PolicyDocument, cat: Catalog, desk: str) -> Message:
    if answer.decline_reason == "internal_harassment":
        text = cat.t("answer.internal")
        return {
            "text": text,
            "blocks": [section(f"{text}\n{desk or cat.t('answer.internal_desk_default')}")],
        }
    text = cat.t("answer.declined")
    body = f"{text}\n\n{cat.t('answer.declined_sections', sections=_sections(doc))}"
    return {"text": text, "blocks": [section(body), section(cat.t("answer.declined_where"))]}


def build_answer(answer: Answer, doc: PolicyDocument, cat: Catalog, desk: str = "") -> Message:
    if answer.declined or not answer.matches:
        return build_declined(answer, doc, cat, desk)
    best, *more = [m.passage for m in answer.matches[:3]]
    blocks = [section(cat.t("answer.heading")), section(_quoted(best, cat))]
    if more:
        blocks.append(section(cat.t("answer.also")))
        blocks += [section(_quoted(p, cat)) for p in more]
    blocks.append(section(cat.t("answer.next_step")))
    titles = "、".join(_title(m.passage, cat) for m in answer.matches[:3])
    return {
        "text": clip(
            f"{cat.t('answer.fallback', titles=titles)}\n{escape(best.text)}", SECTION_TEXT_MAX
        ),
        "blocks": blocks,
    }


def build_empty_question(cat: Catalog) -> Message:
    return {"text": cat.t("answer.empty")}
