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


def test_eval_qa_command_scores_another_policy_with_kinds_and_suggestions(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from bot.cli.main import main

    orgs = Path(__file__).parent / "orgs"
    rows = [
        {"q": "客に殴られた", "accept": ["act.02"], "lang": "ja", "kind": "category"},
        {"q": "相談窓口はある?", "accept": ["int.2"], "lang": "ja", "kind": "procedure"},
        {"q": "研修はある?", "accept": ["act.01"], "lang": "ja", "kind": "procedure"},
        {"q": "VPNの設定", "accept": ["none"], "lang": "ja", "kind": "oos"},
        {"q": "殴られて3時間居座られた", "lang": "ja", "kind": "report", "behaviours": [2, 5]},
        {"q": "ネットに晒された", "lang": "ja", "kind": "report", "behaviours": [1]},
    ]
    path = write_questions(tmp_path, rows)
    assert main(["eval-qa", str(path), "--policy", str(orgs / "gogin-bank.json")]) == 0
    out = capsys.readouterr().out
    assert "recall@3" in out
    assert "top-1 by kind: category 100.0%, oos 100.0%, procedure 50.0%" in out
    assert "report suggestions: 2 reports, main behaviour suggested 50.0%" in out
    assert "at least one right 50.0%" in out
    assert "suggestion miss line 6 [ja] shows 1 suggested 10" in out
    assert "miss line 3 [ja] expected act.01 got int.1" in out


def test_a_report_line_needs_its_behaviours(tmp_path: Path) -> None:
    path = write_questions(tmp_path, [{"q": "x", "lang": "ja", "kind": "report"}])
    with pytest.raises(ValueError, match="qa.jsonl:1"):
        read_questions(path)
