"""Issue 11 cases 1–4: the message shortcut on Slack's real message shapes, through signed
requests to the app, with the stand-in producing the shapes Slack does."""

from __future__ import annotations

import time

from bot.demo.harness import PUBLIC, STAFF, SUPERVISORS, Harness
from slack_standin import ChannelInfo
from tests.app.helpers import alerts, all_text, reports
from tests.edge.cases import context_text, prefill, shortcut_on, submit_open

TYPED = "客が<店長を出せ>と叫び & 机を叩いた @sato"


async def test_case1_markup_reads_as_typed_in_modal_and_alert(harness: Harness) -> None:
    wire = harness.standin.typed(TYPED)
    assert wire == "客が&lt;店長を出せ&gt;と叫び &amp; 机を叩いた <@USUP0001>"  # Slack's shape
    message = harness.standin.post_user_message(PUBLIC, STAFF[0], wire)
    view = await shortcut_on(harness, PUBLIC, message)
    assert prefill(view) == TYPED
    assert await submit_open(harness, view)
    [report] = await reports(harness)
    [alert] = alerts(harness)
    body = all_text(alert)
    # Escaped exactly once for mrkdwn: shown as typed, never "&amp;lt;" nor a live mention.
    assert "客が&lt;店長を出せ&gt;と叫び &amp; 机を叩いた @sato" in body
    assert "&amp;lt;" not in body and "<@USUP0001>" not in body
    assert report.description_length == len(TYPED)


async def test_case1_unknown_person_keeps_the_id(harness: Harness) -> None:
    message = harness.standin.post_user_message(PUBLIC, STAFF[0], "<@UGONE0001> に怒鳴られた")
    view = await shortcut_on(harness, PUBLIC, message)
    assert prefill(view) == "@UGONE0001 に怒鳴られた"  # users.info: user_not_found


async def test_case2_attachments_only_message(harness: Harness) -> None:
    email = {
        "fallback": "転送メール: Re: ご請求について",
        "pretext": "お客さまからのメールを転送します",
        "title": "Re: ご請求について",
        "text": "責任者を出せ。&lt;返金&gt;しないなら SNS に書く",
        "fields": [{"title": "差出人", "value": "客 &lt;c@example.jp&gt;", "short": True}],
    }
    message = harness.standin.post_app_message(PUBLIC, attachments=[email])
    assert message["text"] == ""
    view = await shortcut_on(harness, PUBLIC, message)
    assert prefill(view) == (
        "お客さまからのメールを転送します\nRe: ご請求について\n"
        "責任者を出せ。<返金>しないなら SNS に書く\n差出人: 客 <c@example.jp>"
    )


async def test_case2_blocks_only_message_is_not_slacks_fallback(harness: Harness) -> None:
    card = [
        {"type": "header", "text": {"type": "plain_text", "text": "問い合わせ #812"}},
        {
            "type": "section",
            "text": {"type": "mrkdwn", "text": "「土下座しろ」と30分 &amp; 録音あり"},
        },
    ]
    message = harness.standin.post_app_message(PUBLIC, app_name="チケット", blocks=card)
    assert message["text"] == "This content can't be displayed."
    view = await shortcut_on(harness, PUBLIC, message)
    assert prefill(view) == "問い合わせ #812\n「土下座しろ」と30分 & 録音あり"


async def test_case2_files_inside_a_forwarded_message_are_named(harness: Harness) -> None:
    forwarded = {
        "is_share": True,
        "author_name": "鈴木 一郎",
        "text": "この録音を聞いてください",
        "files": [{"id": "F0REC", "name": "通話録音.m4a", "title": "通話録音.m4a"}],
        "fallback": "[11月29日] 鈴木 一郎: この録音を聞いてください",
    }
    message = harness.standin.post_user_message(
        PUBLIC, STAFF[0], "", files=["窓口の写真.jpg"], attachments=[forwarded]
    )
    view = await shortcut_on(harness, PUBLIC, message)
    assert prefill(view) == (
        "鈴木 一郎\nこの録音を聞いてください\n\n添付ファイル: 窓口の写真.jpg、通話録音.m4a"
    )


async def test_case3_conversation_the_bot_cannot_see(harness: Harness) -> None:
    dm = ChannelInfo(id="DPEOPLE01", name="", is_private=True, is_im=True, members=STAFF)
    harness.standin.state.channels[dm.id] = dm
    message = harness.standin.post_user_message(
        dm.id, STAFF[1], harness.standin.typed("客に殴られそうになった")
    )
    view = await shortcut_on(harness, dm.id, message)
    [call] = harness.standin.calls_to("chat.getPermalink")
    assert call.error == "channel_not_found"
    assert prefill(view) == "客に殴られそうになった"
    assert "リンクは取得できませんでした" in context_text(view)
    await submit_open(harness, view)
    [report] = await reports(harness)
    [alert] = alerts(harness)
    assert "リンクは取得できませんでした" in all_text(alert)
    assert report.source_permalink_enc is not None  # "" encrypted: from a message, no link


async def test_case4_slow_permalink_modal_first_link_follows(harness: Harness) -> None:
    harness.standin.fail_next("chat.getPermalink", status=429, retry_after=3)
    message = harness.standin.post_user_message(PUBLIC, STAFF[0], "電話で3時間怒鳴られた")
    clicked = time.time()
    view = await shortcut_on(harness, PUBLIC, message)
    [opened] = harness.standin.calls_to("views.open")
    assert opened.ok and opened.at - clicked < 2.0  # well inside the trigger's 3 s
    [updated] = harness.standin.calls_to("views.update")
    assert updated.ok and updated.at - clicked >= 3.0  # the link came after Retry-After
    link = f"https://kasuhara-demo.slack.com/archives/{PUBLIC}/p{message['ts'].replace('.', '')}"
    view = harness.standin.views[view["id"]]
    assert link in context_text(view) and link in view["private_metadata"]
    await submit_open(harness, view)
    [alert] = alerts(harness)
    assert link in all_text(alert)
    assert harness.standin.messages(SUPERVISORS)


async def test_shortcut_modal_refused_by_slack_tells_the_person(harness: Harness) -> None:
    harness.standin.fail_next("views.open", error="expired_trigger_id")
    message = harness.standin.post_user_message(PUBLIC, STAFF[0], "電話で脅された")
    resp = await harness.driver.message_shortcut(
        STAFF[0], "report.message_shortcut", PUBLIC, message["ts"]
    )
    await harness.settle()
    assert resp.status == 200
    [notice] = harness.standin.response_url_posts
    assert "フォームを開けませんでした" in notice["body"]["text"]
    assert notice["body"]["response_type"] == "ephemeral"


async def test_shortcut_modal_refused_with_an_html_page_tells_the_person(
    harness: Harness,
) -> None:
    """A load balancer's HTML 502 (no JSON to read an error from) is still a refusal the
    person hears about, not a crash in the middle of telling them."""
    harness.standin.fail_next(
        "views.open", times=2, status=502, text="<html>502 Bad Gateway</html>"
    )
    message = harness.standin.post_user_message(PUBLIC, STAFF[0], "電話で脅された")
    await harness.driver.message_shortcut(
        STAFF[0], "report.message_shortcut", PUBLIC, message["ts"]
    )
    await harness.settle()
    [notice] = harness.standin.response_url_posts
    assert "フォームを開けませんでした" in notice["body"]["text"]


async def test_command_modal_lost_to_a_dropped_connection_tells_the_person(
    harness: Harness,
) -> None:
    harness.standin.fail_next("views.open", times=2, reset=True)
    resp = await harness.driver.slash_command(
        user_id=STAFF[0], command="/kasuhara", text="", channel_id=PUBLIC
    )
    await harness.settle()
    assert resp.status == 200
    [notice] = harness.standin.response_url_posts
    assert "フォームを開けませんでした" in notice["body"]["text"]


async def test_global_shortcut_whose_modal_slack_refuses_tells_the_person_by_dm(
    harness: Harness,
) -> None:
    """A global shortcut has no response_url: when the form cannot open (the trigger expired
    while the app was slow, Slack down) the person hears it by DM, not silence."""
    harness.standin.fail_next("views.open", error="expired_trigger_id")
    resp = await harness.driver.global_shortcut(STAFF[0], "report.shortcut")
    await harness.settle()
    assert resp.status == 200
    dm = harness.standin.dm_channel(STAFF[0])
    assert dm is not None
    [notice] = harness.standin.messages(dm)
    assert "開けませんでした" in notice["text"]


async def test_home_report_button_whose_modal_slack_refuses_tells_the_person(
    harness: Harness,
) -> None:
    await harness.driver.app_home_opened(STAFF[0])
    await harness.settle()
    home_id = harness.standin.home_views[STAFF[0]]["id"]
    harness.standin.fail_next("views.open", error="expired_trigger_id")
    await harness.driver.view_block_action(STAFF[0], home_id, "home.report", "open")
    await harness.settle()
    dm = harness.standin.dm_channel(STAFF[0])
    assert dm is not None
    assert [m for m in harness.standin.messages(dm) if "開けませんでした" in m["text"]]


async def test_resolve_button_whose_modal_slack_refuses_tells_the_supervisor(
    harness: Harness,
) -> None:
    from tests.app.helpers import click, submit
    from tests.privacy.story import SATO

    await submit(harness, "電話で脅された")
    harness.standin.fail_next("views.open", error="expired_trigger_id")
    await click(harness, SATO, "case.resolve", alerts(harness)[0])
    notices = [p["body"]["text"] for p in harness.standin.response_url_posts]
    assert any("開けませんでした" in n for n in notices), notices
