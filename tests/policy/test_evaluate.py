from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.policy.evaluate import evaluate, format_report, read_questions, run_eval_qa
from bot.policy.matcher import PolicyMatcher
from tests.policy.conftest import DEV_PATH, HELDOUT_PATH, need

# The targets from the brief; the matcher must meet them on dev and on our held-out set.
TOP1_JA, TOP1_EN, OOS_DECLINED = 0.90, 0.80, 0.90


@pytest.mark.parametrize("path", [DEV_PATH, HELDOUT_PATH], ids=["dev", "heldout"])
def test_targets(matcher: PolicyMatcher, path: Path) -> None:
    report = evaluate(need(path), matcher)
    assert report.in_scope["ja"].top1 >= TOP1_JA, format_report(report)
    assert report.in_scope["en"].top1 >= TOP1_EN, format_report(report)
    assert report.out_of_scope_declined >= OOS_DECLINED, format_report(report)


def test_heldout_is_not_copied_from_dev() -> None:
    dev = {row.text for row in read_questions(need(DEV_PATH))}
    heldout = read_questions(HELDOUT_PATH)
    assert len(heldout) >= 60
    assert not dev & {row.text for row in heldout}


def write_questions(tmp_path: Path, rows: list[dict[str, object]]) -> Path:
    path = tmp_path / "qa.jsonl"
    path.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n", "utf-8")
    return path


def test_scoring_rules(tmp_path: Path, matcher: PolicyMatcher) -> None:
    path = write_questions(
        tmp_path,
        [
            {"q": "土下座しろと言われた", "accept": ["s2.04"], "lang": "ja", "kind": "category"},
            {"q": "土下座しろと言われた", "accept": ["s3"], "lang": "ja", "kind": "procedure"},
            {"q": "VPNの設定", "accept": ["none"], "lang": "ja", "kind": "oos"},
            {"q": "SNSに晒された", "accept": ["none"], "lang": "ja", "kind": "oos"},
            {"q": "he hit me", "accept": ["s2.01"], "lang": "en", "kind": "category"},
        ],
    )
    report = evaluate(path, matcher)
    assert report.in_scope["ja"].top1 == 0.5
    assert report.in_scope["en"].top1 == 1.0
    assert report.in_scope["all"].questions == 3
    assert report.out_of_scope_questions == 2
    assert report.out_of_scope_declined == 0.5
    assert [f.line for f in report.failures] == [2, 4]


def test_report_names_lines_not_questions(tmp_path: Path) -> None:
    secret = "田中さんに殴られた"
    path = write_questions(
        tmp_path, [{"q": secret, "accept": ["s3"], "lang": "ja", "kind": "category"}]
    )
    text = run_eval_qa(path)
    assert "top-1" in text and "line 1" in text and "p99" in text
    assert secret not in text


def test_bad_question_line_is_reported(tmp_path: Path) -> None:
    path = tmp_path / "qa.jsonl"
    path.write_text('{"q": "x"}\n', "utf-8")
    with pytest.raises(ValueError, match="qa.jsonl:1"):
        read_questions(path)
