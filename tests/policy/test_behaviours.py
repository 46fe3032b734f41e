"""Each of the thirteen behaviours is found from everyday phrasings (none taken from dev.jsonl)."""

from __future__ import annotations

import pytest

from bot.policy.matcher import PolicyMatcher

PHRASINGS: dict[int, list[str]] = {
    1: [
        "カウンター越しにいきなり殴りかかってきた",
        "客に突き飛ばされて転んだ",
        "書類で頭をはたかれた",
        "the man shoved me against the wall",
    ],
    2: [
        "「お前なんか生きてる価値ない」と言われた",
        "電話で「ぶっ殺すぞ」と脅された",
        "ばか、無能って何回も罵倒された",
        "he called me a useless idiot",
    ],
    3: [
        "机をバンバン叩かれた",
        "大声でわめき散らして威圧してきた",
        "ものすごい剣幕でにらみつけられた",
        "he slammed his fist on the counter and glared at me",
    ],
    4: [
        "土下座しろと言われた",
        "床に手をついて謝れって要求された",
        "どげざして詫びろって言われたんだけど",
        "she told me to get down on my knees",
    ],
    5: [
        "何度も電話がかかってくる",
        "一日に何回もメールが来て同じ苦情を言われる",
        "解決した件をしつこく蒸し返される",
        "he keeps calling about the same complaint every single day",
    ],
    6: [
        "帰ってくれないお客さんがいて困ってる",
        "閉店後もロビーに居座っている",
        "話が終わるまで帰さないと言われて部屋から出られなかった",
        "the customer refused to leave after closing",
    ],
    7: [
        "外国人は担当するなと言われた",
        "女のくせに生意気だと言われた",
        "訛りをばかにされて差別された",
        "he said he won't talk to a foreigner",
    ],
    8: [
        "下ネタばかり言ってくる客がいる",
        "お尻を触られた",
        "しつこく連絡先を聞かれてデートに誘われる",
        "a client keeps making sexual comments about my body",
    ],
    9: [
        "担当のあの職員をクビにしろと言われた",
        "私を名指しで処分しろと本部に言うって",
        "名札を見て名前をメモされ、あいつを辞めさせろと言われた",
        "the customer demanded that we fire my colleague",
    ],
    10: [
        "規則を曲げて特別扱いしろと言われた",
        "今すぐ自宅まで書類を持ってこいと要求された",
        "無理な要求をずっと押し通そうとしてくる",
        "he demanded special treatment and wanted us to bend the rules",
    ],
    11: [
        "ネットに晒された",
        "私の写真をSNSに載せられた",
        "口コミサイトに実名で悪口を書かれた",
        "a customer posted a video of me on tiktok",
    ],
    12: [
        "返金しろって言われた",
        "慰謝料を払えと言われた",
        "社長名で謝罪文を出せと要求された",
        "the customer wants cash compensation for a tiny mistake",
    ],
    13: [
        "仕事帰りに客に待ち伏せされた",
        "駅まで後をつけられた",
        "自宅の前で待っていた客がいた",
        "a customer followed me home after my shift",
    ],
}

CASES = [(n, q) for n, phrasings in PHRASINGS.items() for q in phrasings]


@pytest.mark.parametrize(("behaviour", "question"), CASES)
def test_behaviour_is_the_first_quote(
    matcher: PolicyMatcher, behaviour: int, question: str
) -> None:
    answer = matcher.answer(question)
    assert not answer.declined
    assert answer.matches[0].passage.behaviour == behaviour


@pytest.mark.parametrize(("behaviour", "question"), CASES)
def test_behaviour_is_suggested(matcher: PolicyMatcher, behaviour: int, question: str) -> None:
    assert behaviour in matcher.suggest_behaviours(question)


def test_every_behaviour_has_at_least_three_phrasings() -> None:
    assert sorted(PHRASINGS) == list(range(1, 14))
    assert all(len(p) >= 3 for p in PHRASINGS.values())
