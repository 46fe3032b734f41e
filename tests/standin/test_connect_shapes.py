"""The stand-in produces Slack's own shapes: escaped text with rich_text, subtypes, other apps'
blocks-only posts, other organisations, org-wide installs, permalink refusals."""

from __future__ import annotations

import json

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import ChannelInfo, SlackDriver, SlackStandin, UserInfo, payloads
from tests.standin.conftest import Recorder


def test_typed_text_is_escaped_with_mentions_and_a_matching_rich_text(
    standin: SlackStandin,
) -> None:
    wire = standin.typed("a<b> & @sato #general https://ex.jp/?a=1&b=2 @here")
    assert wire == (
        "a&lt;b&gt; &amp; <@USUP1> <#CGEN|general> <https://ex.jp/?a=1&amp;b=2> <!here>"
    )
    msg = standin.post_user_message("CGEN", "U1", wire)
    elements = msg["blocks"][0]["elements"][0]["elements"]
    assert elements[0] == {"type": "text", "text": "a<b> & "}
    assert {"type": "user", "user_id": "USUP1"} in elements
    assert {"type": "link", "url": "https://ex.jp/?a=1&b=2"} in elements
    assert elements[-1] == {"type": "broadcast", "range": "here"}


def test_subtypes_and_other_apps(standin: SlackStandin) -> None:
    root = standin.post_user_message("CSUP", "USUP1", "root")
    both = standin.post_user_message("CSUP", "USUP2", "ok", thread_ts=root["ts"], broadcast=True)
    assert both["subtype"] == "thread_broadcast" and both["root"]["ts"] == root["ts"]
    assert both in standin.messages("CSUP") and both in standin.replies("CSUP", root["ts"])
    photo = standin.post_user_message("CSUP", "USUP1", "", files=["a.jpg"])
    assert photo["subtype"] == "file_share" and photo["files"][0]["name"] == "a.jpg"
    assert "blocks" not in photo
    card = standin.post_app_message("CGEN", blocks=[{"type": "divider"}])
    assert card["text"] == "This content can't be displayed." and card["bot_id"] != "BBOT"
    event = payloads.message_event(standin.state, "CSUP", both)
    assert event["subtype"] == "thread_broadcast" and event["root"]["ts"] == root["ts"]


async def test_permalink_only_where_the_bot_can_see(
    standin: SlackStandin, client: AsyncWebClient
) -> None:
    standin.state.channels["DPEOPLE"] = ChannelInfo(
        id="DPEOPLE", name="", is_private=True, is_im=True, members=("U1", "USUP1")
    )
    private = standin.post_user_message("DPEOPLE", "U1", "x")
    with pytest.raises(SlackApiError) as info:
        await client.chat_getPermalink(channel="DPEOPLE", message_ts=private["ts"])
    assert info.value.response["error"] == "channel_not_found"
    public = standin.post_user_message("CGEN", "U1", "y")
    resp = await client.chat_getPermalink(channel="CGEN", message_ts=public["ts"])
    assert resp["permalink"].endswith(public["ts"].replace(".", ""))


async def test_other_organisations_and_org_installs(recorder: tuple[Recorder, SlackDriver]) -> None:
    rec, driver = recorder
    ws = driver.state.workspace
    ws.users["UEXT"] = UserInfo(id="UEXT", name="ext", team_id="TEXT1", enterprise_id="EEXT")
    ws.enterprise_id, ws.org_install = "EKASU", True
    await driver.global_shortcut("UEXT", "report.shortcut")
    body = json.loads(rec.form()["payload"])
    assert body["team"] is None and body["is_enterprise_install"] is True
    assert body["user"]["team_id"] == "TEXT1" and body["enterprise"]["id"] == "EEXT"
    await driver.slash_command("UEXT", "/kasuhara", "", "CEXT")
    form = rec.form()
    assert form["team_id"] == "TEXT1" and form["enterprise_id"] == "EEXT"
    msg = driver.standin.post_user_message("CEXT", "UEXT", "hello")
    event = payloads.message_event(driver.state, "CEXT", msg)
    assert event["user_team"] == event["team"] == "TEXT1"


async def test_users_info_names_the_organisation(
    standin: SlackStandin, client: AsyncWebClient
) -> None:
    assert "enterprise_user" not in (await client.users_info(user="U1"))["user"]  # not Grid
    standin.workspace.enterprise_id = "EKASU"
    standin.workspace.users["UEXT"] = UserInfo(id="UEXT", name="ext", team_id="TEXT1")
    mine = (await client.users_info(user="U1"))["user"]
    theirs = (await client.users_info(user="UEXT"))["user"]
    assert mine["enterprise_user"]["enterprise_id"] == "EKASU"
    assert theirs["team_id"] == "TEXT1" and "enterprise_user" not in theirs
