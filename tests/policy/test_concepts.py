"""Concepts link any policy's passages from their own wording (issue 14, items 1–3).

Other organisations' policies are kept as test data under tests/policy/orgs/ (text from their
public pages; source address in each file and in <name>.source.txt).
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from bot.policy.check import run_policy_check
from bot.policy.concepts import load_concepts
from bot.policy.document import PolicyDocument, PolicyFormatError, load_policy
from bot.policy.matcher import PolicyMatcher

ORGS = Path(__file__).parent / "orgs"
ORG_NAMES = sorted(p.stem for p in ORGS.glob("*.json"))


def org(name: str) -> PolicyDocument:
    return load_policy(ORGS / f"{name}.json")


def linked(matcher: PolicyMatcher, passage_id: str) -> set[str]:
    return {link.concept for link in matcher.links[passage_id]}


BUNDLED_LINKS = {
    "s2.01": {"physical_attack"},
    "s2.02": {"mental_attack", "threat"},
    "s2.03": {"intimidation"},
    "s2.04": {"dogeza"},
    "s2.05": {"persistent"},
    "s2.06": {"restraint"},
    "s2.07": {"discrimination"},
    "s2.08": {"sexual"},
    "s2.09": {"personal_attack"},
    "s2.10": {"excessive_demand"},
    "s2.11": {"sns_posting", "privacy"},
    "s2.12": {"apology_demand", "money_demand"},
    "s2.def": {"definition"},
    "s2.list": {"examples_scope"},
    "s1.2": {"customer_voice"},
    "s1.3": {"purpose"},
    "s1.4": {"established"},
    "s5.1": {"request_customers"},
    "s5.2": {"customer_rights"},
}


@pytest.mark.parametrize(("passage_id", "concepts"), sorted(BUNDLED_LINKS.items()))
def test_bundled_passages_link_from_their_text(
    matcher: PolicyMatcher, passage_id: str, concepts: set[str]
) -> None:
    assert concepts <= linked(matcher, passage_id)
    assert all(link.why != ("file",) for link in matcher.links[passage_id])


def test_the_file_overrides_the_automatic_links(matcher: PolicyMatcher) -> None:
    assert linked(matcher, "s4") == {"staff_support", "training", "own_conduct", "consultation"}
    assert {link.why for link in matcher.links["s4"]} == {("file",)}


# Different wordings of one behaviour reach the same concept: a hotel's 「暴行、傷害など身体的な
# 攻撃」, our 「①身体的な攻撃(暴行、傷害)」, a shop's 「個人に対する暴力、暴言、…」.
ORG_LINKS = {
    "belc-retail": {
        "act.01": {"physical_attack", "intimidation", "dogeza"},
        "act.03": {"apology_demand", "excessive_demand"},
        "act.04": {"personal_attack"},
        "act.06": {"restraint"},
        "act.07": {"persistent"},
        "act.08": {"privacy"},
        "act.10": {"sns_posting"},
        "act.11": {"threat"},
        "resp.1": {"refuse_service"},
        "resp.2": {"police_legal"},
        "resp.3": {"exclusion"},
        "int.1": {"training"},
        "int.2": {"consultation"},
    },
    "gogin-bank": {
        "act.01": {"mental_attack", "threat"},
        "act.02": {"physical_attack"},
        "act.05": {"restraint"},
        "act.06": {"discrimination", "sexual"},
        "act.08": {"money_demand", "excessive_demand"},
        "act.more": {"examples_scope"},
        "int.3": {"staff_support"},
        "int.4": {"police_legal"},
        "def": {"definition"},
    },
    "keiaikai-hospital": {
        "ex.01": {"intimidation", "threat", "mental_attack"},
        "ex.02": {"physical_attack"},
        "ex.03": {"sexual", "stalking"},
        "ex.06": {"apology_demand"},
        "ex.07": {"rule_violation"},
        "ex.09": {"filming"},
        "resp.1": {"refuse_service"},
        "resp.2": {"exclusion"},
    },
    "hirosaki-city": {
        "d1.1": {"no_merit"},
        "d1.2": {"unrelated_demand"},
        "d2.01": {"physical_attack"},
        "d2.05": {"restraint"},
        "def": {"definition"},
    },
}


@pytest.mark.parametrize("name", sorted(ORG_LINKS))
def test_other_organisations_passages_link_to_the_shared_concepts(name: str) -> None:
    matcher = PolicyMatcher(org(name))
    for passage_id, concepts in ORG_LINKS[name].items():
        assert concepts <= linked(matcher, passage_id), passage_id


def test_a_list_heading_does_not_link_every_item() -> None:
    # 「具体例」 heads the hospital's list; only the items' own words say what each is about.
    matcher = PolicyMatcher(org("keiaikai-hospital"))
    assert "examples_scope" not in linked(matcher, "ex.02")


@pytest.mark.parametrize("name", ORG_NAMES)
def test_every_passage_is_verbatim_in_the_published_text(name: str) -> None:
    source = re.sub(r"\s+", "", (ORGS / f"{name}.source.txt").read_text(encoding="utf-8"))
    raw = json.loads((ORGS / f"{name}.json").read_text(encoding="utf-8"))
    assert raw["source"]["url"] in (ORGS / f"{name}.source.txt").read_text(encoding="utf-8")
    doc = org(name)
    for passage in doc.passages:
        assert re.sub(r"\s+", "", passage.text) in source, passage.id
    for section in doc.sections:
        if section.lead:
            assert re.sub(r"\s+", "", section.lead) in source


def test_nested_and_unnumbered_sections() -> None:
    doc = org("hirosaki-city")
    assert [s.title for s in doc.sections][2:] == [
        "(1) 要求の内容が妥当性を欠く場合",
        "(2) 要求を実現するための手段・態様が社会通念上不相当なもの",
    ]
    assert doc.passage("intro.1").section_title == "基本的な考え方"
    assert doc.passage("d2.01").section_number == "(2)"
    assert doc.source.url and doc.source.url.startswith("https://city.hirosaki")


def test_lead_in_travels_with_the_list_items() -> None:
    doc = org("keiaikai-hospital")
    assert doc.passage("resp.1").lead == doc.passage("resp.2").lead
    assert doc.passage("resp.1").lead and doc.passage("resp.1").lead.startswith("事実関係を確認し")
    assert doc.passage("ex.01").lead is None


@pytest.mark.parametrize("name", ["belc-retail", "gogin-bank", "keiaikai-hospital"])
def test_declines_keep_their_own_reasons_on_any_policy(name: str) -> None:
    matcher = PolicyMatcher(org(name))
    internal = matcher.answer("上司から毎日パワハラを受けています")
    assert internal.declined and internal.decline_reason == "internal_harassment"
    outside = matcher.answer("VPNにつながらない")
    assert outside.declined and outside.decline_reason == "out_of_scope"
    assert matcher.answer("my manager keeps yelling at me").decline_reason == "internal_harassment"


@pytest.mark.parametrize("name", ["belc-retail", "gogin-bank", "keiaikai-hospital"])
def test_quotes_are_the_policy_text_itself(name: str) -> None:
    doc = org(name)
    raw = (ORGS / f"{name}.json").read_text(encoding="utf-8")
    matcher = PolicyMatcher(doc)
    for question in ("客に殴られた", "カスハラの定義は?", "a customer touched me", "相談したい"):
        for match in matcher.answer(question).matches:
            assert json.dumps(match.passage.text, ensure_ascii=False)[1:-1] in raw


def test_several_behaviours_in_one_report_are_all_suggested(matcher: PolicyMatcher) -> None:
    suggested = matcher.suggest_behaviours("土下座させろと言われ、30分怒鳴られた。今週3回目")
    # ④ first; ⑤ (third time this week) and ③ or ② (shouting) with it.
    assert suggested[0] == 4 and 5 in suggested and {2, 3} & set(suggested)
    assert len(suggested) <= 3


def test_suggestions_work_for_another_policy() -> None:
    matcher = PolicyMatcher(org("gogin-bank"))
    assert matcher.suggest_behaviours("応接室に居座り、殴りかかってきた")[:2] in ([5, 2], [2, 5])


def test_policy_check_shows_links_reasons_and_gaps() -> None:
    report, ok = run_policy_check(ORGS / "belc-retail.json")
    assert ok
    assert "act.11 [対象となる行為] ⑪ 脅迫行為: 脅迫行為 等" in report
    assert "→ 脅迫 (threat) 1.00  because 「脅迫」" in report
    assert "concepts no passage covers" in report
    assert "差別的な言動 (discrimination)" in report.split("concepts no passage covers")[1]


def test_policy_check_reports_a_format_problem(tmp_path: Path) -> None:
    raw = json.loads((ORGS / "belc-retail.json").read_text(encoding="utf-8"))
    raw["sections"][0]["passages"][0]["concepts"] = ["no_such_concept"]
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    report, ok = run_policy_check(path)
    assert not ok and "unknown concept(s) no_such_concept" in report
    with pytest.raises(PolicyFormatError):
        PolicyMatcher(load_policy(path)).answer("殴られた")
    raw["sections"][0]["passages"][0]["concepts"] = []
    raw["sections"][0]["passages"][0]["colour"] = "red"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    report, ok = run_policy_check(path)
    assert not ok and report.startswith("format problem:") and "colour" in report


def test_concept_data_is_versioned_and_keeps_the_seed() -> None:
    concepts = load_concepts()
    assert concepts.version >= 1
    kinds = {c.kind for c in concepts.concepts}
    assert kinds == {"behaviour", "topic"}
    # The bundled policy's hand-written phrases moved here (4,773 phrases and hints).
    assert sum(len(c.phrases) + len(c.hints) for c in concepts.concepts) >= 4_773
    assert all(c.label_ja and c.label_en and c.link for c in concepts.concepts)
