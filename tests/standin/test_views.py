"""views.* : validation, trigger_id lifetime and single use, modal stacks, Home tabs."""

from __future__ import annotations

import re

import pytest
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from slack_standin import SlackStandin
from tests.standin.conftest import FakeClock, modal, section


async def _error(call) -> dict:
    with pytest.raises(SlackApiError) as info:
        await call
    return info.value.response.data


async def test_open_returns_full_view(client: AsyncWebClient, standin: SlackStandin) -> None:
    trigger = standin.new_trigger_id("U1")
    assert re.fullmatch(r"\d+\.\d+\.[0-9a-f]+", trigger)
    resp = await client.views_open(trigger_id=trigger, view=modal(private_metadata="42"))
    view = resp["view"]
    assert view["id"].startswith("V") and view["root_view_id"] == view["id"]
    assert view["callback_id"] == "report" and view["private_metadata"] == "42"
    assert view["state"] == {"values": {}} and view["hash"]
    assert "user" not in view  # stand-in bookkeeping stays out of answers
    assert standin.views[view["id"]]["user"] == "U1"


async def test_title_too_long_has_json_pointer(
    client: AsyncWebClient, standin: SlackStandin
) -> None:
    data = await _error(
        client.views_open(trigger_id=standin.new_trigger_id(), view=modal("x" * 25))
    )
    assert data["error"] == "invalid_arguments"
    assert data["response_metadata"]["messages"] == [
        "[ERROR] must be less than 25 characters [json-pointer:/view/title/text]"
    ]


async def test_submit_required_with_inputs(client: AsyncWebClient, standin: SlackStandin) -> None:
    view = modal()
    del view["submit"]
    data = await _error(client.views_open(trigger_id=standin.new_trigger_id(), view=view))
    assert "[json-pointer:/view/submit]" in data["response_metadata"]["messages"][0]


async def test_trigger_expires_after_three_seconds(
    client: AsyncWebClient, standin: SlackStandin, clock: FakeClock
) -> None:
    trigger = standin.new_trigger_id("U1")
    clock.advance(3.5)
    data = await _error(client.views_open(trigger_id=trigger, view=modal()))
    assert data["error"] == "expired_trigger_id"


async def test_trigger_is_single_use(client: AsyncWebClient, standin: SlackStandin) -> None:
    trigger = standin.new_trigger_id("U1")
    await client.views_open(trigger_id=trigger, view=modal())
    data = await _error(client.views_open(trigger_id=trigger, view=modal()))
    assert data["error"] == "exchanged_trigger_id"
    data = await _error(client.views_open(trigger_id="1.2.made-up", view=modal()))
    assert data["error"] == "invalid_trigger_id"


async def test_push_limit(client: AsyncWebClient, standin: SlackStandin) -> None:
    root = await client.views_open(trigger_id=standin.new_trigger_id("U1"), view=modal())
    view_id = root["view"]["id"]
    for expected_depth in (2, 3):
        pushed = await client.views_push(
            trigger_id=standin.new_trigger_id("U1", view_id), view=modal("Step")
        )
        assert pushed["view"]["root_view_id"] == view_id
        assert len(standin.open_views("U1")) == expected_depth
    data = await _error(
        client.views_push(trigger_id=standin.new_trigger_id("U1", view_id), view=modal())
    )
    assert data["error"] == "push_limit_reached"


async def test_update_hash_and_external_id(client: AsyncWebClient, standin: SlackStandin) -> None:
    opened = await client.views_open(
        trigger_id=standin.new_trigger_id("U1"), view=modal(external_id="case-1")
    )
    view = opened["view"]
    updated = await client.views_update(view_id=view["id"], hash=view["hash"], view=modal("Two"))
    assert updated["view"]["id"] == view["id"] and updated["view"]["hash"] != view["hash"]
    stale = await _error(client.views_update(view_id=view["id"], hash=view["hash"], view=modal()))
    assert stale["error"] == "hash_conflict"
    by_ext = await client.views_update(
        external_id="case-1", view=modal("Three", external_id="case-1")
    )
    assert by_ext["view"]["title"]["text"] == "Three"
    missing = await _error(client.views_update(view_id="VNOPE", view=modal()))
    assert missing["error"] == "not_found"


async def test_publish_home(client: AsyncWebClient, standin: SlackStandin) -> None:
    home = {"type": "home", "blocks": [section("Welcome")]}
    first = await client.views_publish(user_id="U1", view=home)
    again = await client.views_publish(user_id="U1", view=home, hash=first["view"]["hash"])
    assert again["view"]["id"] == first["view"]["id"]
    assert standin.home_views["U1"]["blocks"][0]["text"]["text"] == "Welcome"
    data = await _error(client.views_publish(user_id="U1", view=home, hash="stale"))
    assert data["error"] == "hash_conflict"
    data = await _error(client.views_publish(user_id="U1", view={"type": "home", "blocks": []}))
    assert data["error"] == "invalid_arguments"


async def test_duplicate_block_ids(client: AsyncWebClient, standin: SlackStandin) -> None:
    view = modal()
    view["blocks"] = [view["blocks"][0], view["blocks"][0]]
    data = await _error(client.views_open(trigger_id=standin.new_trigger_id(), view=view))
    assert "duplicate block_id: detail" in data["response_metadata"]["messages"][0]


async def test_publish_home_holds_at_most_a_hundred_blocks(
    client: AsyncWebClient, standin: SlackStandin
) -> None:
    """Slack's limit for a Home tab, as for modals: 100 blocks."""
    full = {"type": "home", "blocks": [section(f"line {i}") for i in range(100)]}
    await client.views_publish(user_id="U1", view=full)
    assert len(standin.home_views["U1"]["blocks"]) == 100
    over = {"type": "home", "blocks": [section(f"line {i}") for i in range(101)]}
    data = await _error(client.views_publish(user_id="U1", view=over))
    assert data["error"] == "invalid_arguments"
    assert len(standin.home_views["U1"]["blocks"]) == 100  # the refused view replaced nothing
    modal_view = {"type": "modal", "title": {"type": "plain_text", "text": "x"}, "blocks": []}
    data = await _error(client.views_publish(user_id="U1", view=modal_view))
    assert data["error"] == "invalid_arguments"
