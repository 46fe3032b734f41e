from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from bot.policy.document import PolicyFormatError, load_policy


def minimal() -> dict[str, Any]:
    return {
        "title": "T",
        "sections": [
            {
                "number": "1",
                "heading": "H",
                "passages": [{"id": "a", "text": "x", "behaviour": 1, "label": "L"}],
            }
        ],
    }


def write(tmp_path: Path, content: object) -> Path:
    path = tmp_path / "policy.json"
    text = content if isinstance(content, str) else json.dumps(content, ensure_ascii=False)
    path.write_text(text, encoding="utf-8")
    return path


def error_for(tmp_path: Path, content: object) -> str:
    path = write(tmp_path, content)
    with pytest.raises(PolicyFormatError) as caught:
        load_policy(path)
    message = caught.value.message
    assert str(caught.value) == message
    assert "\n" not in message
    assert message.startswith(f"{path}: ")
    return message


def test_minimal_document_loads(tmp_path: Path) -> None:
    doc = load_policy(write(tmp_path, minimal()))
    assert doc.passage("a").label == "L"


def test_missing_file(tmp_path: Path) -> None:
    with pytest.raises(PolicyFormatError, match="cannot read the file"):
        load_policy(tmp_path / "absent.json")


def test_not_json(tmp_path: Path) -> None:
    assert "not valid JSON (line 1" in error_for(tmp_path, "{title: 1")


def test_missing_title(tmp_path: Path) -> None:
    doc = minimal()
    del doc["title"]
    assert "title: Field required" in error_for(tmp_path, doc)


def test_empty_passage_text_names_the_place(tmp_path: Path) -> None:
    doc = minimal()
    doc["sections"][0]["passages"][0]["text"] = "  "
    assert "sections[0].passages[0].text" in error_for(tmp_path, doc)


def test_misspelt_key_is_rejected(tmp_path: Path) -> None:
    doc = minimal()
    doc["sections"][0]["passages"][0]["phrase"] = ["typo"]
    message = error_for(tmp_path, doc)
    assert "sections[0].passages[0].phrase" in message
    assert "Extra inputs are not permitted" in message


def test_duplicate_ids(tmp_path: Path) -> None:
    doc = minimal()
    doc["sections"][0]["passages"].append({"id": "a", "text": "y"})
    assert "duplicate passage id 'a'" in error_for(tmp_path, doc)


def test_behaviour_without_label(tmp_path: Path) -> None:
    doc = minimal()
    del doc["sections"][0]["passages"][0]["label"]
    assert "has a behaviour number but no label" in error_for(tmp_path, doc)


def test_behaviour_numbers_must_run_from_one(tmp_path: Path) -> None:
    doc = minimal()
    doc["sections"][0]["passages"][0]["behaviour"] = 2
    assert "behaviour numbers must run 1..1" in error_for(tmp_path, doc)


def test_wrong_type_in_vocabulary(tmp_path: Path) -> None:
    doc = minimal()
    doc["vocabulary"] = {"out_of_scope": "vpn"}
    assert "vocabulary.out_of_scope" in error_for(tmp_path, doc)


def test_fallback_must_name_a_passage(tmp_path: Path) -> None:
    doc = minimal()
    doc["fallback_passage"] = "nope"
    assert "fallback_passage 'nope' is not a passage id" in error_for(tmp_path, doc)
