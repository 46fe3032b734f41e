"""Policy text is quoted verbatim but sent as mrkdwn: & < > must reach Slack escaped."""

from __future__ import annotations

import json
from pathlib import Path

from bot.messages import catalog
from bot.policy.document import load_policy
from bot.policy.matcher import Answer, Match
from handlers.answer_view import build_answer


def test_policy_text_is_escaped_in_the_answer(tmp_path: Path) -> None:
    raw = {
        "title": "方針",
        "sections": [
            {
                "heading": "Q&A <例>",
                "lead": "以下 <該当例> & その他",
                "passages": [{"id": "p1", "text": "<!channel> 暴言 & <@U123> 暴行"}],
            }
        ],
    }
    path = tmp_path / "policy.json"
    path.write_text(json.dumps(raw, ensure_ascii=False), encoding="utf-8")
    doc = load_policy(path)
    message = build_answer(
        Answer((Match(doc.passage("p1"), 1.0),), False, None), doc, catalog("ja")
    )
    sent = message["text"] + "".join(b["text"]["text"] for b in message["blocks"] if "text" in b)
    assert "<!channel>" not in sent and "<@U123>" not in sent and "<該当例>" not in sent
    assert "&lt;!channel&gt; 暴言 &amp; &lt;@U123&gt; 暴行" in sent
    assert "Q&amp;A &lt;例&gt;" in sent
