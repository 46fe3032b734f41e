"""Files v2: getUploadURLExternal -> POST bytes -> completeUploadExternal."""

from __future__ import annotations

import aiohttp
import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackStandin


async def test_upload_v2_via_sdk(client: AsyncWebClient, standin: SlackStandin) -> None:
    resp = await client.files_upload_v2(
        channel="CSUP",
        content=b"%PDF-1.4 report",
        filename="report.pdf",
        title="月次レポート",
        initial_comment="今月の報告です",
    )
    file = resp["file"]
    assert file["id"].startswith("F") and file["title"] == "月次レポート"
    assert file["mimetype"] == "application/pdf" and file["size"] == 15
    assert "CSUP" in file["shares"]["private"] and file["groups"] == ["CSUP"]
    assert standin.files == [
        {
            "id": file["id"],
            "title": "月次レポート",
            "filename": "report.pdf",
            "bytes": b"%PDF-1.4 report",
            "channel_id": "CSUP",
            "initial_comment": "今月の報告です",
            "thread_ts": None,
        }
    ]
    shared = standin.messages("CSUP")[-1]
    assert shared["text"] == "今月の報告です" and shared["files"][0]["id"] == file["id"]


async def test_upload_url_answers_text_plain(client: AsyncWebClient) -> None:
    step1 = await client.files_getUploadURLExternal(filename="a.csv", length=3)
    assert step1["upload_url"].startswith("http://127.0.0.1:")
    async with (
        aiohttp.ClientSession() as session,
        session.post(step1["upload_url"], data=b"a,b") as r,
    ):
        assert r.status == 200 and r.content_type == "text/plain"
        assert await r.text() == "OK - 3"


async def test_complete_refusals(client: AsyncWebClient) -> None:
    step1 = await client.files_getUploadURLExternal(filename="a.txt", length=1)
    with pytest.raises(SlackApiError) as info:  # bytes never uploaded
        await client.files_completeUploadExternal(
            files=[{"id": step1["file_id"]}], channel_id="CSUP"
        )
    assert info.value.response["error"] == "file_not_found"
    async with aiohttp.ClientSession() as session, session.post(step1["upload_url"], data=b"x"):
        pass
    with pytest.raises(SlackApiError) as info:
        await client.files_completeUploadExternal(
            files=[{"id": step1["file_id"]}], channel_id="CSECRET"
        )
    assert info.value.response["error"] == "not_in_channel"
