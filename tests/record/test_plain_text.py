"""Slack's message text as the case record prints it (the one shared reader)."""

from __future__ import annotations

import pytest

from bot.delivery.slack_text import readable as plain_text


@pytest.mark.parametrize(
    ("raw", "readable"),
    [
        ("✅ <@USUP0001> さんが確認しました。", "✅ @佐藤 課長 さんが確認しました。"),
        ("<@UNKNOWN1> へ", "@UNKNOWN1 へ"),
        ("<#C0123|kasuhara> で", "#kasuhara で"),
        ("<!here> 緊急", "@here 緊急"),
        ("<!subteam^S1|@legal> に相談", "@legal に相談"),
        ("<!date^1700000000^{date}|2023-11-14> に来店", "2023-11-14 に来店"),
        (
            "<https://example.com/a?b=1&amp;c=2|記録> を参照",
            "記録 (https://example.com/a?b=1&c=2) を参照",
        ),
        ("<https://example.com>", "https://example.com"),
        ("a &lt;b&gt; &amp;lt; c", "a <b> &lt; c"),
    ],
)
def test_plain_text(raw: str, readable: str) -> None:
    assert plain_text(raw, {"USUP0001": "佐藤 課長"}) == readable
