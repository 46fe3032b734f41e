"""Issue 11 cases 7–9: people of other organisations, org-wide installs, the reader's time zone."""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from datetime import datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from bot.config import ConfigError, load_settings
from bot.demo.harness import (
    PUBLIC,
    STAFF,
    SUPERVISORS,
    Harness,
    demo_workspace,
    report_state,
    running_harness,
)
from slack_standin import UserInfo, payloads
from tests.app.helpers import (
    alerts,
    all_text,
    audit,
    open_modal,
    reports,
    submit,
    tampered_submission,
)
from tests.edge.cases import GROUP, PARTNER, REFUSED, SHARED, SISTER, connect_workspace


@pytest.fixture
async def h(database_url: str) -> AsyncIterator[Harness]:
    async with running_harness(
        database_url, workspace=connect_workspace(), KASUHARA_ALLOWED_TEAMS="TGROUP001"
    ) as harness:
        yield harness


async def _refusals(h: Harness) -> list[dict[str, Any]]:
    return [
        {"actor": e.actor_id, **json.loads(e.detail or "{}")}
        for e in await audit(h)
        if e.action == "access.outside_organisation"
    ]


async def test_case7_outsider_refused_on_command_and_shortcuts(h: Harness) -> None:
    opened = await h.driver.slash_command(PARTNER, "/kasuhara", "", channel_id=SHARED)
    asked = await h.driver.slash_command(PARTNER, "/kasuhara", "土下座しろと言われた", SHARED)
    for resp in (opened, asked):
        assert resp.json["response_type"] == "ephemeral" and REFUSED in resp.json["text"]
    await h.driver.global_shortcut(PARTNER, "report.shortcut")
    message = h.standin.post_user_message(SHARED, STAFF[0], "客が怒鳴った")
    await h.driver.message_shortcut(PARTNER, "report.message_shortcut", SHARED, message["ts"])
    await h.settle()
    views = list(h.standin.views.values())
    assert views and all(v["callback_id"] != "report.submit" for v in views)
    assert all(REFUSED in all_text(v) for v in views)
    refusals = await _refusals(h)
    # Each refusal is audited after its ack, so two close together may commit in either order.
    where = sorted(r["where"] for r in refusals)
    assert where == ["command", "command", "message_action", "shortcut"]
    assert {r["team"] for r in refusals} == {"TPARTNER1"}
    assert await reports(h) == []


async def test_case7_outsider_submission_and_buttons_store_nothing(h: Harness) -> None:
    view_id = await open_modal(h)  # a staff member's modal, replayed by the outsider
    resp = await tampered_submission(h, PARTNER, view_id, report_state("なりすまし"))
    await h.settle()
    assert resp.json["response_action"] == "update"
    assert REFUSED in all_text(resp.json["view"])
    assert await reports(h) == [] and alerts(h) == []
    await submit(h, "窓口で怒鳴られた")
    [alert] = alerts(h)
    click = await h.driver.block_action(PARTNER, SUPERVISORS, alert["ts"], "case.ack", "1")
    await h.settle()
    assert click.status == 200
    [report] = await reports(h)
    assert report.acknowledged_by is None
    assert REFUSED in h.standin.response_url_posts[-1]["body"]["text"]
    assert [r["where"] for r in await _refusals(h)] == ["view_submission", "block_actions"]


async def test_case7_outsider_dm_and_mention_are_refused_not_answered(h: Harness) -> None:
    dm = h.standin.post_user_message("DPARTNER1", PARTNER, "土下座しろと言われた")
    await h.driver.deliver_message_event(dm)
    mention = h.standin.post_user_message(SHARED, PARTNER, "<@UBOT> 何回も電話してくる")
    await h.driver.deliver_app_mention(mention)
    await h.settle()
    [reply] = [m for m in h.standin.messages("DPARTNER1") if m.get("bot_id")]
    assert REFUSED in reply["text"] and "④" not in all_text(reply)
    assert h.standin.replies(SHARED, mention["ts"]) == []
    [notice] = h.standin.ephemerals
    assert notice["user"] == PARTNER and REFUSED in notice["text"]
    assert sorted(r["where"] for r in await _refusals(h)) == ["app_mention", "message"]


async def test_case7_same_enterprise_and_allowed_group_company_are_inside(h: Harness) -> None:
    for person in (SISTER, GROUP):
        await submit(h, f"{person} の報告: 電話で脅された", user=person)
    assert len(await reports(h)) == 2 and len(alerts(h)) == 2
    mention = h.standin.post_user_message(SHARED, SISTER, "<@UBOT> 何回も同じことで電話してくる")
    await h.driver.deliver_app_mention(mention)
    await h.settle()
    [answer] = h.standin.replies(SHARED, mention["ts"])
    assert "⑤" in all_text(answer)
    assert await _refusals(h) == []


async def test_case8_org_wide_install_stores_the_reporters_workspace(database_url: str) -> None:
    workspace = demo_workspace(enterprise_id="E0KASU", org_install=True)
    async with running_harness(database_url, workspace=workspace) as h:
        view_id = await open_modal(h)
        shape = payloads.common(h.standin.state, "view_submission", STAFF[0])
        assert shape["team"] is None and shape["user"]["team_id"] == "T0KASUHARA"
        assert shape["enterprise"]["id"] == "E0KASU" and shape["is_enterprise_install"]
        resp = await h.driver.view_submission(STAFF[0], view_id, report_state("電話で脅された"))
        await h.settle()
        assert resp.status == 200 and resp.json is None  # accepted: the modal closes
        [report] = await reports(h)
        assert report.team_id == "T0KASUHARA"


async def test_case9_reporter_sees_their_zone_supervisors_the_configured_one(
    database_url: str,
) -> None:
    base = demo_workspace()
    users = dict(base.users)
    users[STAFF[0]] = UserInfo(id=STAFF[0], name="tanaka", tz="America/Los_Angeles")
    picked = datetime(2026, 11, 29, 13, 0, tzinfo=ZoneInfo("America/Los_Angeles"))
    async with running_harness(database_url, workspace=demo_workspace(users=users)) as h:
        await submit(h, "電話で脅された", occurred=picked)
        status = await h.driver.slash_command(STAFF[0], "/kasuhara", "status", PUBLIC)
        epoch = int(picked.timestamp())
        token = f"<!date^{epoch}^{{date_short_pretty}} {{time}}|2026/11/30 06:00 JST>"
        assert token in status.json["text"]
        # Her Slack shows her own 13:00, the day before the app's (Tokyo) "today".
        assert h.standin.render_for(STAFF[0], token, now=h.now().timestamp()) == "Yesterday 13:00"
        [alert] = alerts(h)
        assert "2026/11/30 06:00" in all_text(alert)  # supervisors: KASUHARA_TIMEZONE


async def test_case7_another_grid_organisation_is_outside_whatever_the_payload_says(
    database_url: str,
) -> None:
    workspace = connect_workspace()
    foreign = UserInfo(id="UFOREIGN1", name="foreign", team_id="TFOREIGN1", enterprise_id="E0OTHER")
    workspace.users[foreign.id] = foreign
    async with running_harness(database_url, workspace=workspace) as h:
        body = payloads.common(h.standin.state, "shortcut", foreign.id)
        assert body["enterprise"]["id"] == "E0OTHER"
        body["enterprise"] = {"id": "E0KASU", "name": "kasuhara-org"}  # where they act, not belong
        body |= {
            "callback_id": "report.shortcut",
            "trigger_id": h.standin.new_trigger_id(foreign.id),
        }
        assert (await h.driver.deliver("interactive", body)).status == 200
        await h.settle()
        [view] = h.standin.views.values()
        assert REFUSED in all_text(view)
        [refusal] = await _refusals(h)
        assert refusal["team"] == "TFOREIGN1" and refusal["enterprise"] == "E0OTHER"


def test_allowed_teams_setting() -> None:
    assert load_settings(KASUHARA_ALLOWED_TEAMS=" TGROUP001, E0GROUP ").allowed_teams == (
        "TGROUP001",
        "E0GROUP",
    )
    with pytest.raises(ConfigError, match="KASUHARA_ALLOWED_TEAMS"):
        load_settings(KASUHARA_ALLOWED_TEAMS="TGROUP001,group-company")
