"""Policy as data, and a Japanese/English question matcher that quotes it (no Slack here)."""

from bot.policy.document import (
    Passage,
    PolicyDocument,
    PolicyFormatError,
    Section,
    load_policy,
)
from bot.policy.evaluate import EvalReport, evaluate, format_report, run_eval_qa
from bot.policy.matcher import Answer, Match, PolicyMatcher

__all__ = [
    "Answer",
    "EvalReport",
    "Match",
    "Passage",
    "PolicyDocument",
    "PolicyFormatError",
    "PolicyMatcher",
    "Section",
    "evaluate",
    "format_report",
    "load_policy",
    "run_eval_qa",
]
