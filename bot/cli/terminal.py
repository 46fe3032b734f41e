"""Policy answers as plain terminal text, for `kasuhara-bot ask`."""

from __future__ import annotations

from bot.config import Settings
from bot.messages import catalog
from bot.policy.document import load_policy
from bot.policy.matcher import PolicyMatcher


def answer_in_terminal(settings: Settings, question: str) -> str:
    cat = catalog(settings.language)
    doc = load_policy(settings.policy_path)
    answer = PolicyMatcher(doc).answer(question)
    if answer.declined or not answer.matches:
        if answer.decline_reason == "internal_harassment":
            desk = settings.internal_desk or cat.t("answer.internal_desk_default")
            return f"{cat.t('answer.internal')}\n{desk}"
        sections = "\n".join(f"  {s.title}" for s in doc.sections)
        return f"{cat.t('answer.declined')}\n{sections}\n{cat.t('answer.declined_where')}"
    lines = []
    for i, match in enumerate(answer.matches):
        p = match.passage
        lines.append(
            ("■ " if i == 0 else "□ ") + cat.t("answer.quote_title", title=p.section_title)
        )
        if p.lead:
            lines.append(f"  > {p.lead}")
        lines += [f"  > {line}" for line in p.text.splitlines()]
    lines.append(cat.t("answer.next_step").replace("`", ""))
    return "\n".join(lines)
