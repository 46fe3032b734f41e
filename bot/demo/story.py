"""`kasuhara-bot demo`: the whole story against the local Slack stand-in, as people saw it."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any

from bot.cases.followup_jobs import run_due_followups
from bot.demo.harness import (
    HR,
    HR_IDS,
    OUTSIDER,
    STAFF,
    SUPERVISOR_IDS,
    SUPERVISORS,
    Harness,
    report_state,
    running_harness,
)
from bot.demo.transcript import indent, message_text, view_text
from bot.digest.weekly import send_weekly

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
        self.seen: dict[str, int] = {}

    def scene(self, title: str) -> None:
        self.say(f"\n=== {title} ===")

    def show(self, who: str, text: str) -> None:
        self.say(f"[{self.names.get(who, who)} が見た画面]\n{indent(text)}")

    def channel(self, channel: str, label: str, last: int = 1) -> None:
        for message in self.h.standin.messages(channel)[-last:]:
            self.say(f"[{label}]\n{indent(message_text(message, self.names))}")
            for reply in self.h.standin.replies(channel, message["ts"]):
                self.say(indent("└ " + message_text(reply, self.names)))

    def dm(self, user: str) -> None:
        """The DMs `user` received since the last look."""
        channel = self.h.standin.dm_channel(user)
        messages = self.h.standin.messages(channel) if channel else []
        for message in messages[self.seen.get(user, 0) :]:
            self.show(user, "(DM) " + message_text(message, self.names))
        self.seen[user] = len(messages)

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


async def _open(story: Story, user: str) -> str:
    before = set(story.h.standin.views)
    await story.h.driver.slash_command(
        user_id=user, command="/kasuhara", text="", channel_id="CPUBLIC01"
    )
    await story.h.settle()
    return next(v for v in story.h.standin.views if v not in before)


async def _report(story: Story) -> dict[str, Any]:
    h, reporter = story.h, STAFF[0]
    story.scene("1. 職員が /kasuhara で報告フォームを開く")
    view_id = await _open(story, reporter)
    story.show(reporter, view_text(h.standin.views[view_id], story.names))
    story.scene("2. 報告を送信 → 管理者チャンネルに通知、報告者に受付DM")
    await h.driver.view_submission(
        user_id=reporter,
        view_id=view_id,
        values=report_state(
            DESCRIPTION,
            customer="契約者 Y様(60代男性)",
            customer_key="加入者番号 12-3456-789",
            urgent=True,
            support="boss",
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
    story.dm(STAFF[0])


async def _followups(story: Story) -> None:
    h, reporter = story.h, STAFF[1]
    story.scene("6. 誰も確認しない報告 → 15分後にリマインド、60分後に責任者へDM")
    view_id = await _open(story, reporter)
    await h.driver.view_submission(
        user_id=reporter,
        view_id=view_id,
        values=report_state(
            "窓口で「SNSにお前の名前と顔を晒してやる」と言われ、スマホで撮影されました。",
            contact="counter",
            behaviours=(11, 2),
        ),
    )
    await h.settle()
    story.dm(reporter)
    alert = h.standin.messages(SUPERVISORS)[-1]
    for minutes in (15, 45):
        h.now.advance(minutes=minutes)
        await run_due_followups(h.svc)
        await h.settle()
    story.channel(SUPERVISORS, "管理者チャンネル(75分後)")
    story.dm(SUPERVISOR_IDS[0])
    story.scene("7. 担当が決まり、翌日に報告者へ様子うかがい → 「相談したい」")
    await story.click(SUPERVISOR_IDS[0], "case.take", alert)
    story.dm(reporter)
    h.now.advance(days=1)
    await run_due_followups(h.svc)
    await h.settle()
    story.dm(reporter)
    dm = h.standin.dm_channel(reporter)
    if dm is None:
        raise RuntimeError("the check-in DM was never opened")
    checkin = h.standin.messages(dm)[-1]
    await h.driver.block_action(
        user_id=reporter,
        channel_id=dm,
        message_ts=checkin["ts"],
        action_id="checkin.help",
        value=checkin["blocks"][-1]["elements"][1]["value"],
    )
    await h.settle()
    story.dm(reporter)
    story.dm(SUPERVISOR_IDS[0])


async def _digest(story: Story) -> None:
    h = story.h
    story.scene("8. 月曜 9:00 — 人事チャンネルに週次集計(数値のみ)とグラフ")
    h.now.moment = datetime(2026, 12, 7, 9, 0, tzinfo=h.svc.clock.zone)
    await send_weekly(h.svc)
    await h.settle()
    story.channel(HR, "人事チャンネル", last=2)
    for upload in h.standin.files:
        story.say(
            indent(
                f"📎 {upload.get('title') or upload.get('filename')}"
                f"({len(upload.get('bytes') or b'')} バイトのPNG)"
            )
        )


async def _home(story: Story) -> None:
    """Each person's Home, as their roles allow: nobody's report text is on it."""
    h = story.h
    story.scene("9. アプリのホーム — 管理者・人事・職員で見えるものが違う")
    for user in (SUPERVISOR_IDS[0], HR_IDS[0], STAFF[1]):
        await h.driver.app_home_opened(user)
        await h.settle()
        story.show(user, "(ホーム) " + message_text(h.standin.home_views[user], story.names))


async def _same_customer(story: Story) -> None:
    h = story.h
    story.scene("10. 同じお客さまについて3件目の報告 → 過去の報告と方針の記載、事案記録(PDF)")
    for number, text in (
        ("１２３４５６７８９", "また同じ方から電話。"),
        ("123456789", "本日も来店。"),
    ):
        view_id = await _open(story, STAFF[0])
        await h.driver.view_submission(
            user_id=STAFF[0],
            view_id=view_id,
            values=report_state(f"{text}前回と同じ要求を繰り返された。", customer_key=number),
        )
        await h.settle()
    story.channel(SUPERVISORS, "管理者チャンネル")
    alert = h.standin.messages(SUPERVISORS)[-1]
    before = len(h.standin.files)
    await story.click(SUPERVISOR_IDS[0], "case.record", alert)
    story.show(SUPERVISOR_IDS[0], h.standin.ephemerals[-1]["text"])
    for upload in h.standin.files[before:]:
        story.say(indent(f"📎 (DM) {upload['title']}({len(upload['bytes'] or b'')} バイトのPDF)"))


async def _question(story: Story) -> None:
    story.scene("11. 方針について質問する")
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
            await _followups(story)
            await _digest(story)
            await _home(story)
            await _same_customer(story)
            for step in extra or []:
                await step(story)
            await _question(story)
            say(f"\nデモ完了。HR: {', '.join(story.names[u] for u in HR_IDS)}")
    return 0
