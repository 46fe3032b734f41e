"""chat.*, conversations.*, users.info, usergroups against the real slack_sdk client."""

from __future__ import annotations

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackStandin
from tests.standin.conftest import section


async def _error(call) -> dict:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value.response.data


async def test_post_message_answer_and_store(client: AsyncWebClient, standin: SlackStandin) -> None:
    first = await client.chat_postMessage(channel="CSUP", text="one")
    second = await client.chat_postMessage(channel="CSUP", text="two", blocks=[section("*two*")])
    assert first["channel"] == "CSUP" and first["message"]["text"] == "one"
    assert float(second["ts"]) > float(first["ts"])  # strictly increasing even on a frozen clock
    assert second["message"]["bot_id"] == "BBOT" and second["message"]["user"] == "UBOT"
    stored = standin.messages("CSUP")
    assert [m["text"] for m in stored] == ["one", "two"]
    assert stored[1]["blocks"][0]["block_id"]  # Slack fills in block ids


async def test_post_message_refusals(client: AsyncWebClient) -> None:
    no_text = await _error(client.api_call("chat.postMessage", json={"channel": "CSUP"}))
    assert no_text["error"] == "no_text"
    data = await _error(client.chat_postMessage(channel="CSECRET", text="x"))
    assert data["error"] == "not_in_channel"
    data = await _error(client.chat_postMessage(channel="CPUB", text="x"))
    assert data["error"] == "not_in_channel"  # public, but no chat:write.public
    data = await _error(client.chat_postMessage(channel="CNOPE", text="x"))
    assert data["error"] == "channel_not_found"
    data = await _error(client.chat_postMessage(channel="CSUP", text="x" * 40001))
    assert data["error"] == "msg_too_long"


async def test_invalid_blocks_over_long_section(client: AsyncWebClient) -> None:
    data = await _error(
        client.chat_postMessage(channel="CSUP", text="x", blocks=[section("a" * 3001)])
    )
    assert data["error"] == "invalid_blocks"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] must be less than 3001 characters [json-pointer:/blocks/0/text/text]"
    ]


async def test_invalid_blocks_eleven_checkboxes(client: AsyncWebClient) -> None:
    options = [
        {"text": {"type": "plain_text", "text": f"o{i}"}, "value": str(i)} for i in range(11)
    ]
    block = {"type": "actions", "elements": [{"type": "checkboxes", "options": options}]}
    data = await _error(client.chat_postMessage(channel="CSUP", text="x", blocks=[block]))
    assert data["error"] == "invalid_blocks"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] no more than 10 items allowed [json-pointer:/blocks/0/elements/0/options]"
    ]


async def test_fifty_one_blocks(client: AsyncWebClient) -> None:
    data = await _error(
        client.chat_postMessage(channel="CSUP", text="x", blocks=[section("a")] * 51)
    )
    assert "[json-pointer:/blocks]" in data["response_metadata"]["messages"][0]


async def test_threads_update_delete(client: AsyncWebClient, standin: SlackStandin) -> None:
    root = await client.chat_postMessage(channel="CSUP", text="root")
    reply = await client.chat_postMessage(channel="CSUP", text="re", thread_ts=root["ts"])
    assert reply["message"]["thread_ts"] == root["ts"]
    assert standin.messages("CSUP")[0]["reply_count"] == 1
    assert [m["text"] for m in standin.replies("CSUP", root["ts"])] == ["re"]
    thread = await client.conversations_replies(channel="CSUP", ts=root["ts"])
    assert [m["text"] for m in thread["messages"]] == ["root", "re"]
    updated = await client.chat_update(channel="CSUP", ts=root["ts"], text="edited")
    assert updated["text"] == "edited" and standin.messages("CSUP")[0]["edited"]
    await client.chat_delete(channel="CSUP", ts=reply["ts"])
    assert standin.replies("CSUP", root["ts"]) == []
    data = await _error(client.chat_delete(channel="CSUP", ts=reply["ts"]))
    assert data["error"] == "message_not_found"


async def test_cannot_edit_human_messages(client: AsyncWebClient, standin: SlackStandin) -> None:
    human = standin.post_user_message("CGEN", "U1", "help")
    data = await _error(client.chat_update(channel="CGEN", ts=human["ts"], text="x"))
    assert data["error"] == "cant_update_message"
    data = await _error(client.chat_delete(channel="CGEN", ts=human["ts"]))
    assert data["error"] == "cant_delete_message"


async def test_ephemeral_and_permalink(client: AsyncWebClient, standin: SlackStandin) -> None:
    resp = await client.chat_postEphemeral(channel="CGEN", user="U1", text="only you")
    assert standin.ephemerals[0]["user"] == "U1" and resp["message_ts"]
    data = await _error(client.chat_postEphemeral(channel="CGEN", user="USUP2", text="x"))
    assert data["error"] == "user_not_in_channel"
    posted = await client.chat_postMessage(channel="CGEN", text="x")
    link = await client.chat_getPermalink(channel="CGEN", message_ts=posted["ts"])
    assert link["permalink"].startswith("https://kasuhara-demo.slack.com/archives/CGEN/p")


async def test_history_with_metadata(client: AsyncWebClient) -> None:
    meta = {"event_type": "incident_reported", "event_payload": {"incident_id": 7}}
    await client.chat_postMessage(channel="CSUP", text="with meta", metadata=meta)
    plain = await client.conversations_history(channel="CSUP")
    assert "metadata" not in plain["messages"][0]
    full = await client.conversations_history(channel="CSUP", include_all_metadata=True)
    assert full["messages"][0]["metadata"] == meta
    data = await _error(
        client.chat_postMessage(channel="CSUP", text="x", metadata={"event_payload": {}})
    )
    assert data["error"] == "invalid_metadata_schema"


async def test_history_pages_and_window(client: AsyncWebClient) -> None:
    ts = [(await client.chat_postMessage(channel="CSUP", text=str(i)))["ts"] for i in range(5)]
    page = await client.conversations_history(channel="CSUP", limit=2)
    assert [m["text"] for m in page["messages"]] == ["4", "3"] and page["has_more"]
    cursor = page["response_metadata"]["next_cursor"]
    rest = await client.conversations_history(channel="CSUP", limit=10, cursor=cursor)
    assert [m["text"] for m in rest["messages"]] == ["2", "1", "0"]
    window = await client.conversations_history(channel="CSUP", oldest=ts[1], latest=ts[3])
    assert [m["text"] for m in window["messages"]] == ["2"]
    data = await _error(client.conversations_history(channel="CSUP", cursor="garbage!"))
    assert data["error"] == "invalid_cursor"


async def test_conversations_info_members_open(
    client: AsyncWebClient, standin: SlackStandin
) -> None:
    info = (await client.conversations_info(channel="CEXT"))["channel"]
    assert info["is_ext_shared"] and info["is_member"] and not info["is_private"]
    info = (await client.conversations_info(channel="CSUP", include_num_members=True))["channel"]
    assert info["is_private"] and info["num_members"] == 3
    hidden = await _error(client.conversations_info(channel="CSECRET"))
    assert hidden["error"] == "channel_not_found"  # private and the bot is not in it
    members = await client.conversations_members(channel="CSUP")
    assert members["members"] == ["USUP1", "USUP2", "UBOT"]
    im = await client.conversations_open(users="U1")
    assert im["channel"]["id"].startswith("D")
    again = await client.conversations_open(users="U1", return_im=True)
    assert again["already_open"] and again["channel"]["is_im"] and again["channel"]["user"] == "U1"
    dm = await client.chat_postMessage(channel="U1", text="to the user id")
    assert dm["channel"] == im["channel"]["id"] == standin.dm_channel("U1")
    assert standin.dm_channel("USUP2") is None


async def test_users_and_usergroups(client: AsyncWebClient) -> None:
    user = (await client.users_info(user="USUP2"))["user"]
    assert user["tz"] == "Europe/London" and user["tz_offset"] in (0, 3600)
    tanaka = (await client.users_info(user="U1"))["user"]
    assert tanaka["real_name"] == "田中 花子" and tanaka["tz_offset"] == 32400
    assert (await _error(client.users_info(user="UNOPE")))["error"] == "user_not_found"
    group = await client.usergroups_users_list(usergroup="S0SUP")
    assert group["users"] == ["USUP1", "USUP2"]
    data = await _error(client.usergroups_users_list(usergroup="S0NOPE"))
    assert data["error"] == "no_such_subteam"
