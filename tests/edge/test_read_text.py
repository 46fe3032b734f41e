"""The one reading of Slack's text (handlers/text.py), on shapes Slack documents."""

from __future__ import annotations

from bot.delivery.slack_text import SLACK_FALLBACKS, mentioned_users, read_message, readable

NAMES = {"U0BOSS001": "sato"}


def test_escaped_text_mentions_and_links_read_as_typed() -> None:
    wire = "客が&lt;店長を出せ&gt;と叫び &amp; 机を叩いた <@U0BOSS001>"
    assert readable(wire, NAMES) == "客が<店長を出せ>と叫び & 机を叩いた @sato"
    assert readable("&amp;lt; は記号", {}) == "&lt; は記号"  # unescaped exactly once
    assert readable("<#C0123|sales> と <!here>") == "#sales と @here"
    assert readable("<https://ex.jp/a?b=1&amp;c=2|記録>") == "記録 (https://ex.jp/a?b=1&c=2)"
    assert readable("<https://ex.jp>") == "https://ex.jp"
    assert (
        readable("*至急* _本日中_ ~取消~ 5*3*2 snake_case_id")
        == "至急 本日中 取消 5*3*2 snake_case_id"
    )
    assert readable("<mailto:a@ex.jp|a@ex.jp>") == "a@ex.jp"
    assert readable("<!subteam^S01|@support> <!date^1700000000^{date}|2023/11/15>") == (
        "@support 2023/11/15"
    )


def test_unknown_people_keep_their_id_or_label_and_the_bot_can_be_left_out() -> None:
    assert readable("<@UGONE0001> さん") == "@UGONE0001 さん"
    assert readable("<@UGONE0001|yamada> さん") == "@yamada さん"
    assert readable("<@UBOT> 質問です", {"UBOT": ""}) == " 質問です"


def test_blocks_only_message_reads_its_blocks_not_slacks_fallback() -> None:
    [fallback] = [t for t in SLACK_FALLBACKS if "'" in t]
    message = {
        "text": fallback,
        "blocks": [
            {"type": "header", "text": {"type": "plain_text", "text": "問い合わせ #812"}},
            {
                "type": "section",
                "text": {"type": "mrkdwn", "text": "*件名:* 返金しろ &amp; 謝罪しろ"},
                "fields": [{"type": "mrkdwn", "text": "*担当:* <@U0BOSS001>"}],
            },
            {"type": "context", "elements": [{"type": "mrkdwn", "text": "受付 10:02"}]},
            {
                "type": "actions",
                "elements": [{"type": "button", "text": {"type": "plain_text", "text": "開く"}}],
            },
        ],
    }
    body = read_message(message, NAMES).body
    assert body == "問い合わせ #812\n件名: 返金しろ & 謝罪しろ\n担当: @sato\n受付 10:02"


def test_rich_text_lists_links_mentions_and_emoji() -> None:
    block = {
        "type": "rich_text",
        "elements": [
            {
                "type": "rich_text_section",
                "elements": [
                    {"type": "user", "user_id": "U0BOSS001"},
                    {"type": "text", "text": " 見てください <本当に>"},
                    {"type": "emoji", "name": "bow", "unicode": "1f647"},
                ],
            },
            {
                "type": "rich_text_list",
                "style": "ordered",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "text", "text": "怒鳴る"}]},
                    {
                        "type": "rich_text_section",
                        "elements": [{"type": "link", "url": "https://ex.jp", "text": "録音"}],
                    },
                ],
            },
        ],
    }
    body = read_message({"text": "", "blocks": [block]}, NAMES).body
    assert body == "@sato 見てください <本当に>🙇\n1. 怒鳴る\n2. 録音 (https://ex.jp)"


def test_attachments_fields_and_files_inside_them() -> None:
    message = {
        "text": "",
        "attachments": [
            {
                "fallback": "転送メール",
                "pretext": "転送されたメール",
                "title": "Re: ご請求について",
                "title_link": "https://mail.example/1",
                "text": "担当者を出せ &lt;今すぐ&gt;",
                "fields": [{"title": "差出人", "value": "客 &lt;c@ex.jp&gt;", "short": True}],
                "files": [{"id": "F1", "name": "録音.m4a"}],
            },
            {"fallback": "カードの代替テキスト"},
        ],
        "files": [{"id": "F2", "name": "写真.jpg"}],
    }
    read = read_message(message)
    assert read.body == (
        "転送されたメール\nRe: ご請求について (https://mail.example/1)\n"
        "担当者を出せ <今すぐ>\n差出人: 客 <c@ex.jp>\n\nカードの代替テキスト"
    )
    assert read.files == ("写真.jpg", "録音.m4a")


def test_mentioned_users_from_text_blocks_and_attachments() -> None:
    message = {
        "text": "<@U1> と <@W2|ito>",
        "blocks": [
            {
                "type": "rich_text",
                "elements": [
                    {"type": "rich_text_section", "elements": [{"type": "user", "user_id": "U3"}]}
                ],
            }
        ],
        "attachments": [{"text": "<@U1>"}],
    }
    assert mentioned_users(message) == ["U1", "W2", "U3"]


def test_a_shared_message_is_read_once() -> None:
    shared = {
        "is_share": True,
        "author_name": "鈴木 一郎",
        "text": "返金しろと &lt;1時間&gt;",
        "fallback": "[12月1日 10:00] 鈴木 一郎: 返金しろと <1時間>",
        "message_blocks": [
            {
                "team": "T0KASUHARA",
                "channel": "C1",
                "ts": "1.2",
                "message": {
                    "blocks": [
                        {
                            "type": "rich_text",
                            "elements": [
                                {
                                    "type": "rich_text_section",
                                    "elements": [{"type": "text", "text": "返金しろと <1時間>"}],
                                }
                            ],
                        }
                    ]
                },
            }
        ],
    }
    assert read_message({"text": "見てください", "attachments": [shared]}).body == (
        "見てください\n\n鈴木 一郎\n返金しろと <1時間>"
    )
    del shared["text"]
    assert (
        read_message({"text": "", "attachments": [shared]}).body == "鈴木 一郎\n返金しろと <1時間>"
    )
