"""The passage quoted at the link threshold comes from whichever policy is loaded: the one
linked to the concept of working with the police and lawyers."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from bot.cases.linking import escalation_passage
from bot.policy.document import DEFAULT_POLICY_PATH, load_policy
from tests.shared import need_shared

ORGS = Path(__file__).resolve().parents[1] / "policy" / "orgs"


def test_the_bundled_policy_gives_section_3_verbatim() -> None:
    passage = escalation_passage(load_policy())
    assert passage is not None and passage.id == "s3" and passage.section_number == "3"
    source = need_shared("policy", "kasuhara-policy.ja.txt").read_text("utf-8")
    assert passage.text in source


@pytest.mark.parametrize(
    ("org", "expected"),
    [
        ("gogin-bank", "警察や弁護士など外部専門家と連携します"),
        ("tokyostar-bank", "警察、弁護士等と連携し適切に対処いたします"),
        ("belc-retail", "法的な対応を行います"),
        ("hirosaki-city", None),  # says nothing of the police or lawyers
        ("keiaikai-hospital", None),
    ],
)
def test_other_organisations_policies(org: str, expected: str | None) -> None:
    passage = escalation_passage(load_policy(ORGS / f"{org}.json"))
    if expected is None:
        assert passage is None
        return
    assert passage is not None and expected in passage.text
    source = "".join((ORGS / f"{org}.source.txt").read_text("utf-8").split())
    assert "".join(passage.text.split()) in source  # their own words, verbatim


def test_a_policy_without_such_a_passage_gives_none(tmp_path: Path) -> None:
    raw = json.loads(DEFAULT_POLICY_PATH.read_text("utf-8"))
    raw["sections"] = [s for s in raw["sections"] if s["number"] != "3"]
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), "utf-8")
    assert escalation_passage(load_policy(path)) is None


@pytest.mark.parametrize("value", ["1", "0", "three"])
def test_a_threshold_below_two_is_refused(value: str) -> None:
    from bot.config import ConfigError, load_settings

    with pytest.raises(ConfigError, match="KASUHARA_LINK_THRESHOLD"):
        load_settings(_env_file=None, KASUHARA_LINK_THRESHOLD=value)
