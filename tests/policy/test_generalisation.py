"""General causes behind the unseen policies' first-run misses (issue 16), each on its own.

Each test names the cause, not a question list: list items whose examples name other concepts,
passive reports that mention a business noun, behaviours a policy's list does not name, a
colleague who is the one harassed, and what `policy check` tells an operator about the gaps.
"""

from __future__ import annotations

import json
from pathlib import Path

from bot.policy.check import run_policy_check
from bot.policy.document import load_policy
from bot.policy.matcher import PolicyMatcher

UNSEEN = Path(__file__).parent / "unseen"


def unseen(name: str) -> PolicyMatcher:
    return PolicyMatcher(load_policy(UNSEEN / f"{name}.json"))


def two_items(tmp_path: Path) -> PolicyMatcher:
    items = [
        ("i.1", "精神的な攻撃(暴言、大声での恫喝、罵声等)", "精神的な攻撃"),
        ("i.2", "威圧的な言動(机を叩く、土下座の要求等)", "威圧的な言動"),
    ]
    raw = {
        "title": "方針",
        "sections": [
            {
                "heading": "対象となる行為",
                "passages": [
                    {"id": pid, "text": text, "behaviour": n, "label": label}
                    for n, (pid, text, label) in enumerate(items, start=1)
                ],
            }
        ],
    }
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    return PolicyMatcher(load_policy(path))


def strength(matcher: PolicyMatcher, passage_id: str, concept: str) -> float:
    return next(x.strength for x in matcher.links[passage_id] if x.concept == concept)


def test_an_items_head_outweighs_its_examples(tmp_path: Path) -> None:
    matcher = two_items(tmp_path)
    # 大声・恫喝 are examples of ①; ② is named 威圧的な言動.
    assert strength(matcher, "i.2", "intimidation") > strength(matcher, "i.1", "intimidation")
    assert matcher.answer("すごい剣幕で威圧された").matches[0].passage.id == "i.2"
    assert matcher.answer("暴言を吐かれた").matches[0].passage.id == "i.1"


def test_a_passive_report_is_not_declined_for_a_business_noun() -> None:
    matcher = unseen("daiichi-koutsu")
    assert matcher.answer("降りるときに運賃を投げつけられた").matches[0].passage.id == "ex.1"
    fare = matcher.answer("空港までの運賃はいくら?")
    assert fare.declined and fare.decline_reason == "out_of_scope"


def test_the_catch_all_item_stands_in_for_behaviours_the_list_does_not_name() -> None:
    cafe = unseen("starbucks-japan")
    assert cafe.answer("体を触られた").matches[0].passage.id == "act.7"
    # A question about support is not a behaviour: the catch-all item is not its answer.
    assert all(m.passage.id != "act.7" for m in cafe.answer("研修はありますか").matches)
    # Without a catch-all item, nothing is quoted rather than something unrelated.
    taxi = unseen("daiichi-koutsu")
    assert taxi.answer("体を触られた").declined
    assert taxi.stand_in("stalking") is None


def test_sonota_outside_the_list_is_not_the_catch_all() -> None:
    # 「その他の当社グループ事業に関係する方」 is about who counts as a customer.
    links = unseen("daiichi-koutsu").links["def.note"]
    assert "other_conduct" not in {x.concept for x in links}


def test_a_colleague_who_was_harassed_is_not_the_harasser() -> None:
    matcher = unseen("starbucks-japan")
    assert matcher.answer("he made racist remarks to my coworker").matches[0].passage.id == "act.2"
    internal = matcher.answer("my coworker made racist remarks")
    assert internal.declined and internal.decline_reason == "internal_harassment"


def test_policy_check_says_what_a_question_on_a_gap_gets() -> None:
    report, ok = run_policy_check(UNSEEN / "starbucks-japan.json")
    assert ok
    gaps = report.split("concepts no passage covers")[1]
    catch_all = gaps.index("act.7 「その他、パートナーの心身の健康や安全を脅かす行為」")
    assert "性的な言動 (sexual)" in gaps[catch_all:].split("→")[0]
    report, _ = run_policy_check(UNSEEN / "daiichi-koutsu.json")
    declined = report.split("concepts no passage covers")[1].split("→ declined")[1]
    assert "つきまとい・待ち伏せ (stalking)" in declined.split("→")[0]


def test_a_thing_that_was_hit_is_intimidation_a_person_physical() -> None:
    centre = unseen("toyonaka-danjo")
    assert centre.answer("カウンターをバンと叩かれた").matches[0].passage.id == "act.2"
    assert centre.answer("頭を叩かれた").matches[0].passage.id == "act.1"
    taxi = unseen("daiichi-koutsu")
    assert taxi.answer("運転席のシートを後ろから蹴られた").matches[0].passage.id == "ex.3"
    assert taxi.answer("お客に足を蹴られた").matches[0].passage.id == "ex.1"


def test_a_passages_own_words_do_not_hide_a_concept() -> None:
    # 「基本理念」 (intro.1's text) used to hide 「理念」 (mission), and 「当社グループ」 won.
    matcher = unseen("daiichi-koutsu")
    assert matcher.answer("当社グループの基本理念は?").matches[0].passage.id == "intro.1"


def test_kana_spelling_of_a_long_call() -> None:
    matcher = unseen("toyonaka-danjo")
    assert {m.passage.id for m in matcher.answer("あの人の電話ながすぎる").matches} & {
        "act.3",
        "act.4",
    }


def test_policy_check_points_out_a_lead_in_written_as_a_passage() -> None:
    report, _ = run_policy_check(UNSEEN / "starbucks-japan.json")
    assert "def.1 reads as the lead-in of what follows it" in report
    assert "intro.3 reads as" not in report  # the last of its section introduces nothing


def test_a_feeling_is_not_a_behaviour() -> None:
    # 「怖かった」 says how it felt; 「殺すぞ」 says what was done (脅威を感じさせる言動).
    matcher = unseen("shizutetsu-group")
    assert matcher.answer("「殺すぞ」と言われて怖かった").matches[0].passage.id == "act.2"


def test_breaking_things_is_damage_before_intimidation() -> None:
    matcher = unseen("shizutetsu-group")
    assert matcher.answer("a man kicked the ticket machine and broke it").matches[0].passage.id == (
        "act.4"
    )
    assert matcher.answer("シュレッダーが壊れた").declined  # nobody broke it


def test_words_showered_on_someone_are_not_water() -> None:
    matcher = unseen("toyonaka-danjo")
    answer = matcher.answer("ご利用者様より罵詈雑言を浴びせられた場合の扱いをお教えください")
    assert answer.matches[0].passage.id in {"k.2", "act.5"}


def test_a_business_clients_manager_is_a_customer() -> None:
    # 「店長に…された」 is a colleague cue; 「取引先の店長」 is the client's manager.
    matcher = unseen("ucc-coffee-professional")
    answer = matcher.answer("取引先の店長に「契約切るぞ、覚悟しとけ」と脅された")
    assert answer.matches and answer.matches[0].passage.id == "act.1"
    assert matcher.answer("店長に怒鳴られた").decline_reason == "internal_harassment"
