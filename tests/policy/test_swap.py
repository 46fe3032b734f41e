"""Another organisation's document is used as is: no code changes, no bundled vocabulary needed."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.policy.document import load_policy
from bot.policy.evaluate import run_eval_qa
from bot.policy.matcher import PolicyMatcher


def library_policy(with_vocabulary: bool) -> dict[str, Any]:
    def passage(pid: str, text: str, phrases: list[str], **extra: Any) -> dict[str, Any]:
        return {
            "id": pid,
            "text": text,
            **extra,
            **({"phrases": phrases} if with_vocabulary else {}),
        }

    return {
        "title": "みどり市立図書館 利用者対応ガイドライン",
        "sections": [
            {
                "number": "A",
                "heading": "禁止される行為",
                "passages": [
                    passage(
                        "lib.1",
                        "①館内での大声や威嚇",
                        ["怒鳴", "shout"],
                        behaviour=1,
                        label="大声や威嚇",
                    ),
                    passage(
                        "lib.2",
                        "②職員への暴力",
                        ["殴", "hit me"],
                        behaviour=2,
                        label="職員への暴力",
                    ),
                    passage(
                        "lib.3",
                        "③長時間の電話による業務妨害",
                        ["何度も電話"],
                        behaviour=3,
                        label="業務妨害",
                    ),
                ],
            },
            {
                "number": "B",
                "heading": "図書館の対応",
                "passages": [
                    passage(
                        "lib.resp", "図書館は退館を求め、必要に応じて警察に通報します。", ["追い出"]
                    ),
                ],
            },
        ],
    }


@pytest.fixture(params=[True, False], ids=["with-vocabulary", "without-vocabulary"])
def policy_file(request: pytest.FixtureRequest, tmp_path: Path) -> Path:
    path = tmp_path / "library.json"
    path.write_text(json.dumps(library_policy(request.param), ensure_ascii=False), "utf-8")
    return path


def test_swapped_document_is_loaded(policy_file: Path) -> None:
    doc = load_policy(policy_file)
    assert doc.title.startswith("みどり市立図書館")
    assert [p.label for p in doc.behaviours()] == ["大声や威嚇", "職員への暴力", "業務妨害"]
    assert doc.passage("lib.resp").section_heading == "図書館の対応"


@pytest.mark.parametrize(
    ("question", "expected"),
    [
        ("利用者から暴力を受けた", "lib.2"),
        ("警察に通報してもいい?", "lib.resp"),
        ("館内で大声を出す人がいる", "lib.1"),
    ],
)
def test_swapped_document_answers_from_its_own_words(
    policy_file: Path, question: str, expected: str
) -> None:
    answer = PolicyMatcher(load_policy(policy_file)).answer(question)
    assert answer.matches[0].passage.id == expected
    assert answer.matches[0].passage.text == load_policy(policy_file).passage(expected).text


def test_swapped_vocabulary_is_used(tmp_path: Path) -> None:
    path = tmp_path / "library.json"
    path.write_text(json.dumps(library_policy(True), ensure_ascii=False), "utf-8")
    matcher = PolicyMatcher(load_policy(path))
    assert matcher.answer("利用者に殴られた").matches[0].passage.id == "lib.2"
    assert matcher.answer("a patron tried to hit me").matches[0].passage.id == "lib.2"
    assert matcher.suggest_behaviours("何度も電話してきて仕事にならない") == [3]


def test_swapped_document_keeps_common_declines(policy_file: Path) -> None:
    matcher = PolicyMatcher(load_policy(policy_file))
    assert matcher.answer("VPNのパスワードを忘れた").decline_reason == "out_of_scope"
    assert matcher.answer("上司からパワハラを受けている").decline_reason == "internal_harassment"


def test_eval_runs_against_a_swapped_document(policy_file: Path, tmp_path: Path) -> None:
    questions = tmp_path / "qa.jsonl"
    rows = [{"q": "利用者から暴力を受けた", "accept": ["lib.2"], "lang": "ja", "kind": "category"}]
    questions.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows), "utf-8")
    assert "100.0%" in run_eval_qa(questions, policy_file)
