"""`kasuhara-bot demo`: the whole story against the local Slack stand-in, as people saw it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bot.harness import (
    HR_IDS,
    OUTSIDER,
    STAFF,
    SUPERVISOR_IDS,
    SUPERVISORS,
    Harness,
    report_state,
    running_harness,
)
from bot.transcript import indent, message_text, view_text

Say = Callable[[str], None]
DESCRIPTION = (
    "電話で契約内容の説明をしていたところ、「お前じゃ話にならない、上の人間を出して土下座させろ」と"
    "30分以上怒鳴られました。同じ方から今週3回目の電話です。<!channel> 以降も続く可能性があります。"
)


class Story:
    def __init__(self, h: Harness, say: Say) -> None:
        self.h = h
        self.say = say
        self.names = {u.id: u.real_name for u in h.standin.workspace.users.values()}

    def scene(self, title: str) -> None:
        self.say(f"\n=== {title} ===")

    def show(self, who: str, text: str) -> None:
        self.say(f"[{self.names.get(who, who)} が見た画面]\n{indent(text)}")

    def channel(self, channel: str, label: str) -> None:
        for message in self.h.standin.messages(channel)[-1:]:
            self.say(f"[{label}]\n{indent(message_text(message, self.names))}")
            for reply in self.h.standin.replies(channel, message["ts"]):
                self.say(indent("└ " + message_text(reply, self.names)))

    def dm(self, user: str) -> None:
        channel = self.h.standin.dm_channel(user)
        for message in self.h.standin.messages(channel) if channel else []:
            self.show(user, message_text(message, self.names))

    async def click(self, user: str, action_id: str, alert: dict[str, Any]) -> None:
        case_id = str(alert["blocks"][-1]["elements"][0]["value"])
        await self.h.driver.block_action(
            user_id=user,
            channel_id=SUPERVISORS,
            message_ts=alert["ts"],
            action_id=action_id,
            value=case_id,
        )
        await self.h.settle()


async def _report(story: Story) -> dict[str, Any]:
    h, reporter = story.h, STAFF[0]
    story.scene("1. 職員が /kasuhara で報告フォームを開く")
    await h.driver.slash_command(
        user_id=reporter, command="/kasuhara", text="", channel_id="CPUBLIC01"
    )
    view_id, view = next(iter(h.standin.views.items()))
    story.show(reporter, view_text(view, story.names))
    story.scene("2. 報告を送信 → 管理者チャンネルに通知、報告者に受付DM")
    await h.driver.view_submission(
        user_id=reporter,
        view_id=view_id,
        values=report_state(
            DESCRIPTION, customer="契約者 Y様(60代男性)", urgent=True, support="boss"
        ),
    )
    await h.settle()
    story.channel(SUPERVISORS, "管理者チャンネル")
    story.dm(reporter)
    return h.standin.messages(SUPERVISORS)[-1]


async def _act(story: Story, alert: dict[str, Any]) -> None:
    h = story.h
    story.scene("3. 管理者チャンネル外の人が「確認」を押す → 権限なし")
    await story.click(OUTSIDER, "case.ack", alert)
    story.show(OUTSIDER, h.standin.ephemerals[-1]["text"])
    story.scene("4. 佐藤さんが「確認」、伊藤さんが「担当する」")
    await story.click(SUPERVISOR_IDS[0], "case.ack", alert)
    await story.click(SUPERVISOR_IDS[1], "case.take", alert)
    story.channel(SUPERVISORS, "管理者チャンネル(更新後)")
    story.scene("5. 伊藤さんが「対応完了」→ 結果を入力")
    await story.click(SUPERVISOR_IDS[1], "case.resolve", alert)
    view_id, view = list(h.standin.views.items())[-1]
    story.show(SUPERVISOR_IDS[1], view_text(view, story.names))
    outcome = {
        "case.outcome": {
            "outcome": {
                "type": "plain_text_input",
                "value": "上長から折り返し、以後の電話対応は上長が行うと伝えた。",
            }
        }
    }
    await h.driver.view_submission(user_id=SUPERVISOR_IDS[1], view_id=view_id, values=outcome)
    await h.settle()
    story.channel(SUPERVISORS, "管理者チャンネル(完了)")


async def _question(story: Story) -> None:
    story.scene("6. 方針について質問する")
    for question in (
        "客に土下座しろって言われた",
        "何回も同じことで電話してくる",
        "有給休暇の申請方法は?",
    ):
        resp = await story.h.driver.slash_command(
            user_id=STAFF[1], command="/kasuhara", text=question, channel_id="CPUBLIC01"
        )
        story.say(f"> /kasuhara {question}")
        story.show(STAFF[1], message_text(resp.json or {}, story.names))


async def run_demo(say: Say, extra: list[Callable[[Story], Any]] | None = None) -> int:
    with tempfile.TemporaryDirectory() as tmp:
        url = f"sqlite+aiosqlite:///{Path(tmp) / 'demo.db'}"
        async with running_harness(url) as h:
            story = Story(h, say)
            say("カスハラ対応ボット — オフラインデモ(ローカルの Slack 代替サーバーで動作)")
            alert = await _report(story)
            await _act(story, alert)
            for step in extra or []:
                await step(story)
            await _question(story)
            say(f"\nデモ完了。HR: {', '.join(story.names[u] for u in HR_IDS)}")
    return 0
