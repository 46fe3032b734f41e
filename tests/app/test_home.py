"""The App Home by role, driven as Slack does: signed app_home_opened events and clicks."""

from __future__ import annotations

import asyncio
import dataclasses
import json
from datetime import timedelta
from typing import Any

from bot.cases.home_refresh import FANOUT_DELAY, RECENT
from bot.cases.home_types import PAGE_SIZE
from bot.demo.harness import (
    HR,
    HR_IDS,
    OUTSIDER,
    STAFF,
    SUPERVISOR_IDS,
    SUPERVISORS,
    Harness,
    demo_workspace,
    running_harness,
)
from storage.models import OutboxMessage
from storage.reports import bulk_insert_reports
from tests.app.helpers import alerts, all_text, audit, click, reports, submit

SATO, ITO = SUPERVISOR_IDS
KATO = HR_IDS[0]
SECRET = "駐車場で待ち伏せされ、大声で罵倒されました"


async def open_home(h: Harness, user: str) -> dict[str, Any]:
    resp = await h.driver.app_home_opened(user)
    assert resp.status == 200
    await h.settle()
    return h.standin.home_views[user]


def text_of(view: dict[str, Any]) -> str:
    return json.dumps(view["blocks"], ensure_ascii=False)


def buttons(view: dict[str, Any]) -> list[tuple[str, str, str]]:
    """(block_id, action_id, value) of every button in the view."""
    found = []
    for block in view["blocks"]:
        elements = block.get("elements", []) if block["type"] == "actions" else []
        if block.get("accessory"):
            elements = [block["accessory"]]
        found += [(block["block_id"], e["action_id"], e.get("value", "")) for e in elements]
    return found


async def home_click(h: Harness, user: str, action_id: str, value: str, block: str) -> None:
    view = h.standin.home_views[user]
    resp = await h.driver.view_block_action(user, view["id"], action_id, value, block_id=block)
    assert resp.status == 200
    await h.settle()


async def test_staff_sees_only_their_own_part(harness: Harness) -> None:
    await submit(harness, SECRET, user=STAFF[0])
    await submit(harness, "別の人の報告です", user=STAFF[1])
    mine, theirs = sorted(await reports(harness), key=lambda r: r.id or 0)
    view = await open_home(harness, STAFF[0])
    shown = text_of(view)
    assert mine.case_number in shown and theirs.case_number not in shown
    assert "対応が必要な案件" not in shown and "今週の集計" not in shown
    assert SECRET not in shown
    # Times in the reader's own zone: Slack's date formatting, with the org's time as fallback.
    assert f"<!date^{int(mine.created_at.timestamp())}^" in shown
    assert {a for _, a, _ in buttons(view)} == {"home.report", "home.ask"}
    # The roles were asked of Slack when the Home was opened.
    asked = {c.args.get("channel") for c in harness.standin.calls_to("conversations.members")}
    assert {SUPERVISORS, HR} <= asked


async def test_outsider_sees_only_the_staff_part_even_with_open_cases(harness: Harness) -> None:
    await submit(harness, SECRET)
    shown = text_of(await open_home(harness, OUTSIDER))
    [report] = await reports(harness)
    assert report.case_number not in shown and "対応が必要な案件" not in shown
    assert "あなたの報告はまだありません" in shown


async def test_supervisor_queue_lists_cases_without_their_text(harness: Harness) -> None:
    await submit(harness, SECRET, behaviours=(2,), urgent=True)
    await submit(harness, "二件目の報告", user=STAFF[1])
    first, second = sorted(await reports(harness), key=lambda r: r.id or 0)
    await click(harness, ITO, "case.take", alerts(harness)[1])
    view = await open_home(harness, SATO)
    shown = text_of(view)
    assert SECRET not in shown and "二件目の報告" not in shown
    assert "*未確認(" in shown and "その他の未完了の案件" in shown
    assert "🚨" in shown and "精神的な攻撃" in shown and f"<@{ITO}>" in shown
    # The case number links to the alert in the supervisors' channel.
    alert_ts = alerts(harness)[0]["ts"].replace(".", "")
    assert f"archives/{SUPERVISORS}/p{alert_ts}|{first.case_number}>" in shown
    # 確認 and 担当する for the unacknowledged case; nothing for the one ITO holds.
    assert {(a, v) for _, a, v in buttons(view) if a.startswith("case.")} == {
        ("case.ack", str(first.id)),
        ("case.take", str(first.id)),
    }
    assert "今週の集計" not in shown


async def test_hr_sees_the_week_beside_last_week_and_the_trend(harness: Harness) -> None:
    await submit(harness, SECRET, urgent=True)
    view = await open_home(harness, KATO)
    shown = text_of(view)
    assert "今週の集計" in shown and "*今週*" in shown and "*先週*" in shown
    assert "報告 1件" in shown and "うち緊急 1件" in shown
    assert "週ごとの報告件数(直近8週)" in shown and "█" in shown
    assert {a for _, a, _ in buttons(view)} >= {"home.digest", "home.export"}
    [report] = await reports(harness)
    assert report.case_number not in shown and SECRET not in shown
    assert "対応が必要な案件" not in shown


async def test_supervisor_who_is_also_hr_sees_both_parts(database_url: str) -> None:
    workspace = demo_workspace()
    channels = dict(workspace.channels)
    channels[HR] = dataclasses.replace(channels[HR], members=(*channels[HR].members, SATO))
    async with running_harness(database_url, workspace=demo_workspace(channels=channels)) as h:
        await submit(h, SECRET)
        shown = text_of(await open_home(h, SATO))
        assert "対応が必要な案件" in shown and "今週の集計" in shown and "あなたの報告" in shown


async def test_take_from_the_home_is_the_alerts_take(harness: Harness) -> None:
    await submit(harness, SECRET)
    [report] = await reports(harness)
    await open_home(harness, STAFF[0])  # the reporter is looking at their Home too
    view = await open_home(harness, SATO)
    assert ("home.case." + str(report.id), "case.take", str(report.id)) in buttons(view)
    updates = len(harness.standin.calls_to("chat.update"))
    await home_click(harness, SATO, "case.take", str(report.id), f"home.case.{report.id}")
    [after] = await reports(harness)
    assert after.owner_id == SATO and after.status == "in_progress"
    assert after.acknowledged_by == SATO  # taking a case means someone has seen it, as on the alert
    assert "case.take" in [a.action for a in await audit(harness) if a.case_id == report.id]
    # The alert is updated in place and its thread says who took it.
    assert len(harness.standin.calls_to("chat.update")) == updates + 1
    [alert] = alerts(harness)
    assert "対応中" in all_text(alert)
    assert any(
        "担当になりました" in m["text"] for m in harness.standin.replies(SUPERVISORS, alert["ts"])
    )
    # The clicker's Home shows the case as theirs, without buttons.
    home = harness.standin.home_views[SATO]
    assert "あなたが担当している案件" in text_of(home)
    assert not [b for b in buttons(home) if b[1].startswith("case.")]
    # The reporter's Home follows, after the short delay that gathers a burst of changes.
    assert "対応中" not in text_of(harness.standin.home_views[STAFF[0]])
    harness.now.advance(seconds=FANOUT_DELAY.total_seconds() + 1)
    await harness.settle()
    assert "対応中" in text_of(harness.standin.home_views[STAFF[0]])
    # The reporter is told, as when the alert's button is used.
    dm = harness.standin.dm_channel(STAFF[0])
    assert dm and any("担当者が決まりました" in m["text"] for m in harness.standin.messages(dm))


async def test_second_take_from_a_stale_home_is_refused_with_a_notice(harness: Harness) -> None:
    await submit(harness, SECRET)
    [report] = await reports(harness)
    await open_home(harness, SATO)
    await open_home(harness, ITO)
    await home_click(harness, ITO, "case.take", str(report.id), f"home.case.{report.id}")
    await home_click(harness, SATO, "case.take", str(report.id), f"home.case.{report.id}")
    [after] = await reports(harness)
    assert after.owner_id == ITO
    [notice] = harness.standin.open_views(SATO)
    assert f"すでに <@{ITO}> さんが担当しています" in text_of(notice)


async def test_removed_supervisor_loses_the_queue_at_the_next_click(harness: Harness) -> None:
    await submit(harness, SECRET)
    [report] = await reports(harness)
    await open_home(harness, SATO)
    state = harness.standin.state
    info = state.channels[SUPERVISORS]
    state.channels[SUPERVISORS] = dataclasses.replace(
        info, members=tuple(m for m in info.members if m != SATO)
    )
    await home_click(harness, SATO, "case.ack", str(report.id), f"home.case.{report.id}")
    [after] = await reports(harness)
    assert after.acknowledged_at is None
    refused = [a for a in await audit(harness) if a.action == "action.refused"]
    assert refused and refused[0].actor_id == SATO
    [notice] = harness.standin.open_views(SATO)
    assert "権限がありません" in text_of(notice)
    assert "対応が必要な案件" not in text_of(harness.standin.home_views[SATO])


async def test_a_change_refreshes_recent_supervisor_homes_once_each(harness: Harness) -> None:
    await submit(harness, SECRET)
    await submit(harness, "二件目")
    first, second = sorted(await reports(harness), key=lambda r: r.id or 0)
    await open_home(harness, ITO)
    published = len(harness.standin.calls_to("views.publish"))
    # Two changes from the alert in a burst: one refresh of ITO's Home, after FANOUT_DELAY.
    await click(harness, SATO, "case.ack", alerts(harness)[0])
    await click(harness, SATO, "case.ack", alerts(harness)[1])
    assert len(harness.standin.calls_to("views.publish")) == published
    harness.now.advance(seconds=FANOUT_DELAY.total_seconds() + 1)
    await harness.settle()
    ito = [c for c in harness.standin.calls_to("views.publish") if c.args.get("user_id") == ITO]
    assert len(ito) == 2  # the opening, then one refresh for both changes
    assert "*未確認(" not in text_of(harness.standin.home_views[ITO])
    # SATO never opened the Home: nothing is published to him.
    assert SATO not in harness.standin.home_views


async def test_homes_opened_long_ago_are_not_refreshed(harness: Harness) -> None:
    await submit(harness, SECRET)
    await open_home(harness, ITO)
    harness.now.advance(seconds=RECENT.total_seconds() + 60)
    await click(harness, SATO, "case.ack", alerts(harness)[0])
    harness.now.advance(seconds=FANOUT_DELAY.total_seconds() + 1)
    await harness.settle()
    ito = [c for c in harness.standin.calls_to("views.publish") if c.args.get("user_id") == ITO]
    assert len(ito) == 1
    async with harness.svc.sessions() as session:
        from sqlmodel import select

        rows = (await session.exec(select(OutboxMessage).where(OutboxMessage.kind == "home"))).all()
    assert rows == []


def _open_case(i: int, now: Any, owner: str | None, acked: bool) -> dict[str, Any]:
    created = now - timedelta(hours=i)
    return {
        "case_number": f"KH-2025-{i:05d}",
        "year": 2025,
        "seq": i,
        "reporter_id": STAFF[i % 2],
        "occurred_at": created,
        "created_at": created,
        "contact_channel": "phone",
        "behaviours": str(i % 13 + 1),
        "suggested_behaviours": "",
        "urgent": i % 7 == 0,
        "support": "none",
        "status": "in_progress" if owner else "acknowledged" if acked else "new",
        "acknowledged_at": created if acked or owner else None,
        "acknowledged_by": owner or (ITO if acked else None),
        "owner_id": owner,
        "owned_at": created if owner else None,
    }


async def test_three_hundred_open_cases_fit_and_page(database_url: str) -> None:
    workspace = demo_workspace()
    channels = dict(workspace.channels)
    channels[HR] = dataclasses.replace(channels[HR], members=(*channels[HR].members, SATO))
    async with running_harness(database_url, workspace=demo_workspace(channels=channels)) as h:
        now = h.svc.clock.now()
        owners = (None, SATO, ITO, None)
        rows = [_open_case(i, now, owners[i % 4], acked=i % 3 == 0) for i in range(1, 301)]
        async with h.svc.sessions.begin() as session:
            await bulk_insert_reports(session, rows)
        view = await open_home(h, SATO)  # the stand-in refuses a view over Slack's limits
        assert len(view["blocks"]) <= 100
        shown = text_of(view)
        assert "今週の集計" in shown and "未完了 計 300件" in shown
        assert f"1〜{PAGE_SIZE}件目を表示しています(全 300件" in shown
        # Unacknowledged first, urgent ones before the others, each oldest first: 287 is the
        # oldest unacknowledged urgent case (every 7th is urgent; 294 is acknowledged).
        first_line = next(
            b for b in view["blocks"] if b.get("block_id", "").startswith("home.line.")
        )
        assert "KH-2025-00287" in first_line["text"]["text"] and "KH-2025-00001" not in shown
        await home_click(h, SATO, "home.more", "1", "home.queue.pages")
        page2 = h.standin.home_views[SATO]
        assert f"{PAGE_SIZE + 1}〜{2 * PAGE_SIZE}件目" in text_of(page2)
        assert len(page2["blocks"]) <= 100
        # A refresh caused by a change keeps the page the supervisor is reading.
        await submit(h, SECRET)
        h.now.advance(seconds=FANOUT_DELAY.total_seconds() + 1)
        await h.settle()
        assert f"{PAGE_SIZE + 1}〜{2 * PAGE_SIZE}件目" in text_of(h.standin.home_views[SATO])
        assert "未完了 計 301件" in text_of(h.standin.home_views[SATO])


async def test_ask_the_policy_from_the_home_answers_by_dm(harness: Harness) -> None:
    await open_home(harness, STAFF[0])
    await home_click(harness, STAFF[0], "home.ask", "open", "home.top")
    [modal] = harness.standin.open_views(STAFF[0])
    empty = await harness.driver.view_submission(
        STAFF[0],
        modal["id"],
        {"home.question": {"question": {"type": "plain_text_input", "value": "  "}}},
    )
    assert "質問を入力してください" in json.dumps(empty.json, ensure_ascii=False)
    await harness.driver.view_submission(
        STAFF[0],
        modal["id"],
        {
            "home.question": {
                "question": {"type": "plain_text_input", "value": "土下座しろと言われた"}
            }
        },
    )
    await harness.settle()
    dm = harness.standin.dm_channel(STAFF[0])
    assert dm is not None
    [answer] = harness.standin.messages(dm)
    assert "方針の該当箇所" in all_text(answer) and "土下座" in all_text(answer)


async def test_hr_buttons_follow_the_words_rules(harness: Harness) -> None:
    await submit(harness, SECRET)
    await open_home(harness, KATO)
    await home_click(harness, KATO, "home.digest", "digest", "home.hr")
    await home_click(harness, KATO, "home.export", "export", "home.hr")
    dm = harness.standin.dm_channel(KATO)
    assert dm is not None
    texts = [all_text(m) for m in harness.standin.messages(dm)]
    assert any("カスハラ週次レポート" in t for t in texts)  # what the command shows ephemerally
    [upload] = harness.standin.files
    assert upload["channel_id"] == dm and upload["filename"].endswith(".csv")
    assert any("DMでお送りしました" in t for t in texts)
    actions = [a.action for a in await audit(harness) if a.actor_id == KATO]
    assert "hr.digest" in actions and "hr.export" in actions


async def test_hr_buttons_in_a_stale_home_are_refused(harness: Harness) -> None:
    await open_home(harness, KATO)
    state = harness.standin.state
    info = state.channels[HR]
    state.channels[HR] = dataclasses.replace(info, members=("UBOT",))
    await home_click(harness, KATO, "home.export", "export", "home.hr")
    assert harness.standin.files == []
    refused = [a for a in await audit(harness) if a.action == "action.refused"]
    assert refused and refused[0].actor_id == KATO and "hr.export" in refused[0].detail
    dm = harness.standin.dm_channel(KATO)
    assert dm and any(
        "人事チャンネルのメンバーだけ" in m["text"] for m in harness.standin.messages(dm)
    )
    assert "今週の集計" not in text_of(harness.standin.home_views[KATO])


async def test_an_answer_slack_refuses_to_dm_is_said_in_the_modal(harness: Harness) -> None:
    await open_home(harness, STAFF[1])
    await home_click(harness, STAFF[1], "home.ask", "open", "home.top")
    [modal] = harness.standin.open_views(STAFF[1])
    harness.standin.fail_next("chat.postMessage", error="channel_not_found")
    question = {"home.question": {"question": {"type": "plain_text_input", "value": "暴言"}}}
    resp = await harness.driver.view_submission(STAFF[1], modal["id"], question)
    assert "DMでお送りできませんでした" in json.dumps(resp.json, ensure_ascii=False)
    assert harness.standin.open_views(STAFF[1]), "the modal stays open to try again"


async def test_home_and_alert_buttons_have_the_same_effects(harness: Harness) -> None:
    """Case A is acknowledged then taken on its alert, case B the same way in the Home."""
    await submit(harness, SECRET)
    await submit(harness, "二件目")
    a, b = sorted(await reports(harness), key=lambda r: r.id or 0)
    alert_a, alert_b = alerts(harness)
    await open_home(harness, SATO)
    await click(harness, SATO, "case.ack", alert_a)
    await click(harness, SATO, "case.take", alert_a)
    await home_click(harness, SATO, "case.ack", str(b.id), f"home.case.{b.id}")
    await home_click(harness, SATO, "case.take", str(b.id), f"home.line.{b.id}")
    after = {r.id: r for r in await reports(harness)}

    def state(r: Any) -> tuple[Any, ...]:
        return (r.status, r.acknowledged_by, r.owner_id, r.acknowledged_at, r.owned_at)

    assert state(after[a.id]) == state(after[b.id])
    events = await audit(harness)
    assert [e.action for e in events if e.case_id == a.id] == [
        e.action for e in events if e.case_id == b.id
    ]
    thread_a = [m["text"] for m in harness.standin.replies(SUPERVISORS, alert_a["ts"])]
    thread_b = [m["text"] for m in harness.standin.replies(SUPERVISORS, alert_b["ts"])]
    assert thread_a == thread_b and len(thread_a) == 2

    # The alerts read the same: status lines, and no 確認/担当する left to press.
    def status(alert: dict[str, Any]) -> list[Any]:
        kept = [b for b in alert["blocks"] if b["type"] in ("context", "actions")]
        return [[e.get("text") or e["action_id"] for e in b["elements"]] for b in kept]

    [new_a, new_b] = alerts(harness)
    assert status(new_a) == status(new_b) and "担当しています" in json.dumps(
        status(new_a), ensure_ascii=False
    )


async def test_roles_slack_cannot_confirm_are_not_granted(harness: Harness) -> None:
    await submit(harness, SECRET)
    harness.standin.fail_next("conversations.members", times=2, error="channel_not_found")
    shown = text_of(await open_home(harness, SATO))
    assert "対応が必要な案件" not in shown and "今週の集計" not in shown
    assert "あなたの報告" in shown  # the Home still opens, with what needs no role
    shown = text_of(await open_home(harness, SATO))  # asked again at the next opening
    assert "対応が必要な案件" in shown


async def test_concurrent_clicks_with_many_open_homes_all_land(harness: Harness) -> None:
    """Every change queues Home refreshes in its own transaction; none may block another."""
    from storage.home import record_visit

    for i in range(6):
        await submit(harness, f"{SECRET} {i}")
    async with harness.svc.sessions.begin() as session:
        for user in (*SUPERVISOR_IDS, *STAFF, KATO, OUTSIDER):
            await record_visit(session, user=user, now=harness.svc.clock.now(), supervisor=True)
    clicks = [
        harness.driver.block_action(
            user_id=SUPERVISOR_IDS[i % 2],
            channel_id=SUPERVISORS,
            message_ts=alert["ts"],
            action_id="case.ack" if i % 3 else "case.take",
            value=alert["blocks"][-1]["elements"][0]["value"],
        )
        for i, alert in enumerate(alerts(harness))
    ]
    assert {r.status for r in await asyncio.gather(*clicks)} == {200}
    await harness.settle()
    assert all(r.acknowledged_at is not None for r in await reports(harness))
    harness.now.advance(seconds=FANOUT_DELAY.total_seconds() + 1)
    await harness.settle()
    published = [c.args.get("user_id") for c in harness.standin.calls_to("views.publish")]
    assert sorted(published) == sorted({*SUPERVISOR_IDS, *STAFF, KATO, OUTSIDER})  # once each
    assert "対応が必要な案件" not in text_of(harness.standin.home_views[OUTSIDER])


async def test_a_case_going_stale_moves_in_open_homes(harness: Harness) -> None:
    from bot.cases.followup_jobs import run_due_followups

    await submit(harness, SECRET)
    await click(harness, ITO, "case.take", alerts(harness)[0])
    # Taken on Tuesday 10:00: stale after KASUHARA_STALE_BUSINESS_DAYS (3), Friday 10:00.
    harness.now.advance(days=3, minutes=-10)
    assert "動きのない案件*" not in text_of(await open_home(harness, SATO))
    harness.now.advance(minutes=15)
    await run_due_followups(harness.svc)
    harness.now.advance(seconds=FANOUT_DELAY.total_seconds() + 1)
    await harness.settle()
    assert "3営業日以上動きのない案件" in text_of(harness.standin.home_views[SATO])


async def test_a_dropped_connection_asking_roles_still_publishes_a_home(
    harness: Harness,
) -> None:
    """Slack's connection drops while the roles are asked: the Home is still published,
    showing less (a role Slack cannot confirm is not granted), never nothing."""
    harness.standin.fail_next("conversations.members", times=4, reset=True)
    await harness.driver.app_home_opened(SATO)
    await harness.settle()
    assert SATO in harness.standin.home_views
