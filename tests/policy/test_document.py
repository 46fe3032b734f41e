from __future__ import annotations

import json
import re

import pytest

from bot.policy.document import DEFAULT_POLICY_PATH, PolicyDocument, load_policy
from tests.policy.conftest import PASSAGES_PATH, SOURCE_PATH, need

IDS = (
    ["s1.1", "s1.2", "s1.3", "s1.4", "s2.def", "s2.list"]
    + [f"s2.{n:02d}" for n in range(1, 14)]
    + ["s3", "s4", "s5.1", "s5.2"]
)


def squash(text: str) -> str:
    return re.sub(r"\s+", "", text)


def test_bundled_document_has_the_stable_ids_in_order(doc: PolicyDocument) -> None:
    assert [p.id for p in doc.passages] == IDS
    assert doc.title == "カスタマーハラスメントへの対応方針"


def test_sections_carry_number_and_heading(doc: PolicyDocument) -> None:
    assert [(s.number, s.heading) for s in doc.sections] == [
        ("1", "はじめに"),
        ("2", "カスタマーハラスメントの定義"),
        ("3", "カスタマーハラスメントへの対応姿勢"),
        ("4", "カスタマーハラスメントへの取り組み"),
        ("5", "お客さまへのお願い"),
    ]
    assert doc.passage("s3").section_heading == "カスタマーハラスメントへの対応姿勢"
    assert doc.passage("s3").section_number == "3"


def test_behaviours_are_the_thirteen_in_order(doc: PolicyDocument) -> None:
    behaviours = doc.behaviours()
    assert [p.behaviour for p in behaviours] == list(range(1, 14))
    assert [p.id for p in behaviours] == [f"s2.{n:02d}" for n in range(1, 14)]
    assert behaviours[3].label == "土下座の要求"
    assert behaviours[0].label == "身体的な攻撃"
    assert all(p.behaviour is None for p in doc.passages if p not in behaviours)


def test_passage_texts_equal_the_reference_split(doc: PolicyDocument) -> None:
    reference = json.loads(need(PASSAGES_PATH).read_text(encoding="utf-8"))
    assert {p["id"]: p["text"] for p in reference} == {p.id: p.text for p in doc.passages}


def test_every_passage_is_verbatim_in_the_source(doc: PolicyDocument) -> None:
    source = squash(need(SOURCE_PATH).read_text(encoding="utf-8"))
    for passage in doc.passages:
        assert squash(passage.text) in source, passage.id


def test_unknown_passage_id_is_a_key_error(doc: PolicyDocument) -> None:
    with pytest.raises(KeyError):
        doc.passage("s9")


def test_default_path_is_the_bundled_file() -> None:
    assert load_policy(DEFAULT_POLICY_PATH) == load_policy(None)
