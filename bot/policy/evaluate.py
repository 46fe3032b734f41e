"""Offline scoring of the matcher on a JSONL question file (format: /work/shared/qa/README.md).

Top-1 is right when the first quoted passage is in `accept`; for `accept == ["none"]`, when
nothing is quoted. Recall@3 (= "right passage among those quoted", at most three are quoted)
counts any quoted passage in `accept`. A line with `"kind": "report"` is an incident report,
not a question: `"behaviours": [main, others…]` are the behaviour numbers the text shows, main
first; it scores the 推定 suggestions (main among suggested; at least one right). The report
names failing lines by number only: question text is personal data in production files and
is never echoed.
"""

from __future__ import annotations

import json
import statistics
import time
from dataclasses import dataclass, field, replace
from pathlib import Path

from bot.policy.document import load_policy
from bot.policy.matcher import Answer, PolicyMatcher

NONE = "none"


REPORT = "report"


@dataclass(frozen=True)
class Question:
    line: int
    text: str
    accept: tuple[str, ...]
    lang: str
    kind: str = ""
    behaviours: tuple[int, ...] = ()  # report lines only: main behaviour first

    @property
    def in_scope(self) -> bool:
        return self.accept != (NONE,)

    @property
    def is_report(self) -> bool:
        return self.kind == REPORT


@dataclass(frozen=True)
class SuggestionScore:
    reports: int
    main_suggested: float  # the main behaviour is among the suggestions
    any_right: float  # at least one suggestion is among the behaviours the text shows
    none_suggested: float


@dataclass(frozen=True)
class LanguageScore:
    questions: int
    top1: float
    recall_at_3: float
    wrongful_declines: float


@dataclass(frozen=True)
class Failure:
    line: int
    lang: str
    expected: tuple[str, ...]
    got: tuple[str, ...]  # quoted passage ids, or ("declined:<reason>",)


@dataclass(frozen=True)
class EvalReport:
    in_scope: dict[str, LanguageScore]  # by language, plus "all"
    out_of_scope_questions: int
    out_of_scope_declined: float
    latency_p50_ms: float
    latency_p99_ms: float
    failures: tuple[Failure, ...]
    by_kind: dict[str, float] = field(default_factory=dict)  # top-1 per question kind
    suggestions: SuggestionScore | None = None
    suggestion_misses: tuple[Failure, ...] = ()


def read_questions(path: Path) -> list[Question]:
    questions = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            kind = str(row.get("kind", ""))
            accept = () if kind == REPORT else tuple(row["accept"])
            behaviours = tuple(int(b) for b in row.get("behaviours", ()))
            if kind == REPORT and not behaviours:
                raise KeyError("behaviours")
            questions.append(Question(number, row["q"], accept, row["lang"], kind, behaviours))
        except (json.JSONDecodeError, KeyError, TypeError, ValueError, AttributeError) as exc:
            raise ValueError(f"{path}:{number}: not a question line ({exc})") from None
    return questions


def evaluate(path: Path, matcher: PolicyMatcher) -> EvalReport:
    """Score every line of `path`; ValueError names a malformed line."""
    rows = read_questions(path)
    questions = [q for q in rows if not q.is_report]
    answers: list[Answer] = []
    latencies: list[float] = []
    for question in questions:
        start = time.perf_counter()
        answers.append(matcher.answer(question.text))
        latencies.append((time.perf_counter() - start) * 1000)
    report = _report(questions, answers, latencies)
    reports = [q for q in rows if q.is_report]
    if not reports:
        return report
    suggested = [tuple(matcher.suggest_behaviours(q.text)) for q in reports]
    return replace(
        report,
        suggestions=_suggestion_score(reports, suggested),
        suggestion_misses=tuple(
            Failure(q.line, q.lang, tuple(map(str, q.behaviours)), tuple(map(str, got)) or ("-",))
            for q, got in zip(reports, suggested, strict=True)
            if q.behaviours[0] not in got
        ),
    )


def _suggestion_score(reports: list[Question], suggested: list[tuple[int, ...]]) -> SuggestionScore:
    pairs = list(zip(reports, suggested, strict=True))
    return SuggestionScore(
        reports=len(pairs),
        main_suggested=_share(sum(q.behaviours[0] in got for q, got in pairs), len(pairs)),
        any_right=_share(sum(bool(set(q.behaviours) & set(got)) for q, got in pairs), len(pairs)),
        none_suggested=_share(sum(not got for _, got in pairs), len(pairs)),
    )


def _by_kind(pairs: list[tuple[Question, Answer]]) -> dict[str, float]:
    kinds = sorted({q.kind or "-" for q, _ in pairs})
    return {
        kind: _share(
            sum(_top1(q, a) for q, a in pairs if (q.kind or "-") == kind),
            sum((q.kind or "-") == kind for q, _ in pairs),
        )
        for kind in kinds
    }


def _report(questions: list[Question], answers: list[Answer], latencies: list[float]) -> EvalReport:
    pairs = list(zip(questions, answers, strict=True))
    inside = [(q, a) for q, a in pairs if q.in_scope]
    outside = [a for q, a in pairs if not q.in_scope]
    languages = sorted({q.lang for q, _ in inside})
    scores = {
        lang: _language_score([(q, a) for q, a in inside if q.lang == lang]) for lang in languages
    }
    scores["all"] = _language_score(inside)
    return EvalReport(
        in_scope=scores,
        out_of_scope_questions=len(outside),
        out_of_scope_declined=_share(sum(not a.matches for a in outside), len(outside)),
        latency_p50_ms=_percentile(latencies, 50),
        latency_p99_ms=_percentile(latencies, 99),
        failures=tuple(_failure(q, a) for q, a in pairs if not _top1(q, a)),
        by_kind=_by_kind(pairs),
    )


def _top1(question: Question, answer: Answer) -> bool:
    if not question.in_scope:
        return not answer.matches
    return bool(answer.matches) and answer.matches[0].passage.id in question.accept


def _language_score(pairs: list[tuple[Question, Answer]]) -> LanguageScore:
    recalled = sum(any(m.passage.id in q.accept for m in a.matches) for q, a in pairs)
    return LanguageScore(
        questions=len(pairs),
        top1=_share(sum(_top1(q, a) for q, a in pairs), len(pairs)),
        recall_at_3=_share(recalled, len(pairs)),
        wrongful_declines=_share(sum(a.declined for _, a in pairs), len(pairs)),
    )


def _failure(question: Question, answer: Answer) -> Failure:
    got = tuple(m.passage.id for m in answer.matches) or (f"declined:{answer.decline_reason}",)
    return Failure(question.line, question.lang, question.accept, got)


def _share(part: int, whole: int) -> float:
    return part / whole if whole else 0.0


def _percentile(values: list[float], pct: int) -> float:
    if len(values) < 2:
        return values[0] if values else 0.0
    return statistics.quantiles(values, n=100, method="inclusive")[pct - 1]


def format_report(report: EvalReport) -> str:
    lines = ["in-scope   questions  top-1   recall@3  wrongly declined"]
    for lang, s in report.in_scope.items():
        lines.append(
            f"{lang:<10} {s.questions:>9}  {s.top1:>6.1%}  {s.recall_at_3:>8.1%}  "
            f"{s.wrongful_declines:>16.1%}"
        )
    lines.append(
        f"out-of-scope questions: {report.out_of_scope_questions}, "
        f"declined: {report.out_of_scope_declined:.1%}"
    )
    lines.append(f"latency: p50 {report.latency_p50_ms:.2f} ms, p99 {report.latency_p99_ms:.2f} ms")
    if report.by_kind:
        kinds = ", ".join(f"{k} {v:.1%}" for k, v in report.by_kind.items())
        lines.append(f"top-1 by kind: {kinds}")
    if report.suggestions:
        sug = report.suggestions
        lines.append(
            f"report suggestions: {sug.reports} reports, main behaviour suggested "
            f"{sug.main_suggested:.1%}, at least one right {sug.any_right:.1%}, "
            f"nothing suggested {sug.none_suggested:.1%}"
        )
    for f in report.failures:
        lines.append(
            f"  miss line {f.line} [{f.lang}] expected {','.join(f.expected)} got {','.join(f.got)}"
        )
    for f in report.suggestion_misses:
        lines.append(
            f"  suggestion miss line {f.line} [{f.lang}] shows {','.join(f.expected)} "
            f"suggested {','.join(f.got)}"
        )
    return "\n".join(lines)


def run_eval_qa(path: Path, policy_path: Path | None = None) -> str:
    """What `kasuhara-bot eval-qa FILE.jsonl [--policy POLICY]` prints."""
    matcher = PolicyMatcher(load_policy(policy_path))
    return format_report(evaluate(path, matcher))
