from __future__ import annotations

import re

import pytest

from bot.policy.document import PolicyDocument
from bot.policy.matcher import MAX_MATCHES, PolicyMatcher
from tests.policy.conftest import SOURCE_PATH, need


@pytest.mark.parametrize(
    ("question", "accept"),
    [
        ("警察呼んでいい?", {"s3"}),
        ("こういう客への対応を断っていい?", {"s3"}),
        ("会社は守ってくれる?", {"s3", "s4"}),
        ("カスハラの研修ある?", {"s4"}),
        ("相談できる窓口はありますか", {"s4"}),
        ("そもそもカスハラってなに?", {"s2.def"}),
        ("what counts as customer harassment?", {"s2.def"}),
        ("Can I hang up on an abusive caller?", {"s3"}),
        ("Is there any support for staff after an incident?", {"s4"}),
        ("子会社の社員も対象になる?", {"s1.1"}),
        ("うちの職員がよその店でカスハラしたら?", {"s4"}),
        ("例にない行為でもカスハラになる?", {"s2.list", "s2.13"}),
    ],
)
def test_procedural_and_meta_questions(
    matcher: PolicyMatcher, question: str, accept: set[str]
) -> None:
    answer = matcher.answer(question)
    assert answer.matches and answer.matches[0].passage.id in accept


@pytest.mark.parametrize(
    "question",
    [
        "VPNにつながらない",
        "パスワードを忘れました",
        "有給の申請ってどこから?",
        "経費精算の締め日を教えて",
        "今日のランチどこにする?",
        "共済の保障内容を知りたい",
        "How do I reset my password?",
        "when is the expense deadline",
        "what's for lunch today",
        "how do I file an insurance claim for a member",
        "今日はいい天気ですね",
        "",
    ],
)
def test_out_of_scope_is_declined(matcher: PolicyMatcher, question: str) -> None:
    answer = matcher.answer(question)
    assert answer.declined and answer.decline_reason == "out_of_scope"
    assert answer.matches == ()


@pytest.mark.parametrize(
    "question",
    [
        "上司からパワハラを受けています",
        "上司からのセクハラがつらい",
        "先輩に毎日怒鳴られている",
        "同僚に体を触られた",
        "my boss keeps yelling at me",
        "a coworker is harassing me",
        "I'm being bullied at work by my manager",
    ],
)
def test_harassment_by_colleagues_is_declined(matcher: PolicyMatcher, question: str) -> None:
    answer = matcher.answer(question)
    assert answer.declined and answer.decline_reason == "internal_harassment"
    assert answer.matches == ()


@pytest.mark.parametrize(
    "question",
    [
        "客に「上司を出せ」と怒鳴られた",
        "上司を出せってずっと言われてる",
        "the customer demanded to speak to my boss",
        "同僚が客に殴られた",
    ],
)
def test_customer_demanding_a_boss_is_not_internal(matcher: PolicyMatcher, question: str) -> None:
    answer = matcher.answer(question)
    assert not answer.declined
    assert answer.matches[0].passage.behaviour is not None


def test_answers_are_best_first_and_at_most_three(matcher: PolicyMatcher) -> None:
    answer = matcher.answer("窓口で土下座しろと怒鳴られて、ネットに晒すと脅され、返金を要求された")
    scores = [m.score for m in answer.matches]
    assert 1 <= len(answer.matches) <= MAX_MATCHES
    assert scores == sorted(scores, reverse=True)
    assert len({m.passage.id for m in answer.matches}) == len(answer.matches)


def test_extra_matches_only_when_they_fit(matcher: PolicyMatcher) -> None:
    assert [m.passage.id for m in matcher.answer("土下座しろと言われた").matches] == ["s2.04"]


def test_quotes_are_verbatim_from_the_document(matcher: PolicyMatcher, doc: PolicyDocument) -> None:
    source = re.sub(r"\s+", "", need(SOURCE_PATH).read_text(encoding="utf-8"))
    for question in [
        "殴られた",
        "SNSに晒された",
        "会社は守ってくれる?",
        "what counts as harassment",
    ]:
        for match in matcher.answer(question).matches:
            assert match.passage in doc.passages
            assert re.sub(r"\s+", "", match.passage.text) in source


@pytest.mark.parametrize(
    "question",
    [
        "どげざしろって言われた",
        "ドゲザしろって言われた",
        "ﾄﾞｹﾞｻﾞ",
        "土下座しろっていわれたた",
        "土下座しろーーって言われた",
        "ＤＯＧＥＺＡ demanded",
    ],
)
def test_spelling_variants_find_dogeza(matcher: PolicyMatcher, question: str) -> None:
    assert matcher.answer(question).matches[0].passage.id == "s2.04"


def test_english_typos_are_tolerated(matcher: PolicyMatcher) -> None:
    assert matcher.answer("what counts as customer harrassment").matches[0].passage.id == "s2.def"
    assert matcher.answer("he threatend to kill me").matches[0].passage.id == "s2.02"


def test_suggestions_for_an_incident_description(matcher: PolicyMatcher) -> None:
    text = (
        "閉店間際に来た男性が、手続きに時間がかかったことに腹を立てて大声で怒鳴り、"
        "机を何度も叩いた。その後「誠意を見せろ、土下座しろ」と要求し、30分以上帰らなかった。"
    )
    suggested = matcher.suggest_behaviours(text)
    assert 1 <= len(suggested) <= 3
    assert set(suggested) <= set(range(1, 14))
    assert 4 in suggested or 3 in suggested
    assert matcher.suggest_behaviours(text, limit=1) == suggested[:1]


def test_no_suggestion_without_confidence(matcher: PolicyMatcher) -> None:
    assert matcher.suggest_behaviours("書類の提出について問い合わせがあった") == []
    assert matcher.suggest_behaviours("") == []


def test_long_descriptions_are_handled(matcher: PolicyMatcher) -> None:
    text = "客に殴られた。" + "あ" * 3000
    assert 1 in matcher.suggest_behaviours(text)


def test_on_topic_question_without_specifics_gets_the_fallback(matcher: PolicyMatcher) -> None:
    assert matcher.doc.fallback_passage == "s2.def"
    answer = matcher.answer("カスハラについて教えて")
    assert [m.passage.id for m in answer.matches] == ["s2.def"]


def test_fallback_does_not_override_a_decline(matcher: PolicyMatcher) -> None:
    assert matcher.answer("カスハラ研修の会議室の予約方法").decline_reason == "out_of_scope"
