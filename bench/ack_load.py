"""The load of bench_ack.py: Slack's signed requests of four kinds, and what "Slack" saw.

Kinds, sent in turn: `/kasuhara help` (a slash command answered in the ack), `/kasuhara
<question>` (a policy answer in the ack), a supervisor's 受領 click on a recent alert (the app
acks, then records it and edits the alert), and a full report submission (the report, alert,
receipt and follow-ups are committed before the ack).
"""

from __future__ import annotations

import asyncio
import json
import re
import time
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

import aiohttp

from bot.cases.actions import ACK
from bot.delivery.slack_client import make_client
from bot.demo.harness import (
    PUBLIC,
    SIGNING_SECRET,
    SUPERVISOR_IDS,
    SUPERVISORS,
    demo_workspace,
    report_state,
)
from bot.messages import catalog
from bot.policy.document import load_policy
from handlers.ids import COMMAND, case_action_id
from handlers.report_view import build_report_modal
from slack_standin import SlackStandin, UserInfo
from slack_standin import payloads as slack_payloads
from slack_standin.api_views import public_view
from slack_standin.driver_effects import submission_state
from slack_standin.state import ApiCall
from slack_standin.transport import encode, signature

SLASH, QUESTION, CLICK, SUBMIT = "slash command", "question", "button click", "view submission"
KINDS = (SLASH, QUESTION, CLICK, SUBMIT)
QUESTIONS = (
    "窓口で大声で怒鳴られたらどうすればいいですか",
    "何回も同じことで電話してくる",
    "SNSに名前をさらされた",
    "土下座しろと言われた",
)
STAFF_USERS = 50
ACK_BUTTON = case_action_id(ACK.name)
TOKEN = re.compile(r"bench-(\d{6})")


class AlertWatch:
    """Notes when the stand-in records each bench alert's chat.postMessage."""

    def __init__(self) -> None:
        self.sent_at: dict[int, float] = {}
        self.seen_at: dict[int, float] = {}
        self.duplicates = 0
        self.api_errors: Counter[str] = Counter()  # e.g. views.open: expired_trigger_id
        self.changed = asyncio.Event()

    def saw(self, call: ApiCall) -> None:
        if not call.ok:
            self.api_errors[f"{call.method}: {call.error}"] += 1
        if call.method != "chat.postMessage" or not call.ok:
            return
        if call.args.get("channel") != SUPERVISORS:
            return
        found = TOKEN.search(json.dumps(call.args.get("blocks"), ensure_ascii=False))
        if found:
            number = int(found.group(1))
            if number in self.seen_at:
                self.duplicates += 1
            self.seen_at.setdefault(number, time.perf_counter())
            self.changed.set()

    def latencies(self, numbers: set[int]) -> list[float]:
        """ms until its alert was recorded, for the submissions whose alert came."""
        arrived = [n for n in sorted(numbers) if n in self.seen_at and n in self.sent_at]
        return [(self.seen_at[n] - self.sent_at[n]) * 1000 for n in arrived]

    async def wait_for(self, numbers: set[int], timeout: float) -> set[int]:
        """The numbers still without an alert after waiting up to `timeout` seconds."""
        deadline = time.perf_counter() + timeout
        while numbers - self.seen_at.keys() and time.perf_counter() < deadline:
            self.changed.clear()
            try:
                await asyncio.wait_for(self.changed.wait(), deadline - time.perf_counter())
            except TimeoutError:
                break
        return numbers - self.seen_at.keys()


class CallLog(list[ApiCall]):
    """The stand-in's call log, telling a callback about each call as it is recorded."""

    def __init__(self, callback: Callable[[ApiCall], None]) -> None:
        super().__init__()
        self.callback = callback

    def append(self, call: ApiCall) -> None:
        super().append(call)
        self.callback(call)


def bench_workspace() -> Any:
    ws = demo_workspace()
    staff = {
        f"UBENCH{i:03d}": UserInfo(id=f"UBENCH{i:03d}", name=f"staff{i}", tz="Asia/Tokyo")
        for i in range(STAFF_USERS)
    }
    ws.users = ws.users | staff
    return ws


async def open_template(standin: SlackStandin) -> dict[str, Any]:
    """The report modal as Slack shows it, opened through the stand-in's views.open."""
    policy = load_policy(None)
    options = [(p.behaviour, p.text) for p in policy.behaviours() if p.behaviour]
    view = build_report_modal(catalog("ja"), options, datetime.now(UTC))
    client = make_client(standin.workspace.bot_token, standin.api_url)
    try:
        resp = await client.views_open(trigger_id=standin.new_trigger_id("UBENCH000"), view=view)
    finally:
        await client.close()
    return public_view(standin.views[resp["view"]["id"]])


class Load:
    """Builds and sends Slack's signed requests on a kept-alive connection pool."""

    def __init__(self, standin: SlackStandin, template: dict[str, Any]) -> None:
        self.standin = standin
        self.state = standin.state
        self.template = template
        self.session: aiohttp.ClientSession | None = None
        self.counter = 0  # bench-NNNNNN numbers given to submissions so far
        self.clicked: set[str] = set()

    def user(self, i: int) -> str:
        return f"UBENCH{i % STAFF_USERS:03d}"

    def command(self, i: int, text: str) -> dict[str, Any]:
        user, ws = self.user(i), self.state.workspace
        return {
            "token": ws.verification_token,
            "team_id": ws.team_id,
            "team_domain": ws.domain,
            "channel_id": PUBLIC,
            "channel_name": slack_payloads.channel_name(self.state, PUBLIC),
            "user_id": user,
            "user_name": ws.user_name(user),
            "command": COMMAND,
            "text": text,
            "api_app_id": ws.app_id,
            "is_enterprise_install": "false",
            "response_url": self.standin.new_response_url(PUBLIC, user),
            "trigger_id": self.standin.new_trigger_id(user),
        }

    def submission(self, i: int) -> tuple[dict[str, Any], int]:
        self.counter += 1
        number, user = self.counter, self.user(i)
        values = report_state(
            f"窓口で大声で怒鳴られ、土下座を求められた (bench-{number:06d})",
            behaviours=(1, 4) if number % 2 else (),  # half leave it to the matcher
            urgent=number % 10 == 0,
        )
        view = dict(self.template)
        # Each report from a modal of its own, as in Slack: the app files one case per view.
        view["id"] = f"VBENCH{number:06d}"
        view["state"] = {"values": submission_state(self.template, values)}
        payload = slack_payloads.common(self.state, "view_submission", user)
        payload |= {
            "trigger_id": self.standin.new_trigger_id(user, view["id"]),
            "view": view,
            "response_urls": [],
        }
        return payload, number

    def _alert(self) -> dict[str, Any] | None:
        """The newest alert nobody clicked yet (else the newest one: a click that changes
        nothing); None before the first alert."""
        newest = None
        for message in reversed(self.standin.messages(SUPERVISORS)):
            if message.get("thread_ts") not in (None, message["ts"]):
                continue
            if not any(el["action_id"] == ACK_BUTTON for _, el in _elements(message)):
                continue
            newest = newest or message
            if message["ts"] not in self.clicked:
                return message
        return newest

    def click(self, i: int) -> dict[str, Any] | None:
        """A supervisor's 受領 (acknowledge) click on an alert, as Slack sends it."""
        message = self._alert()
        if message is None:
            return None
        self.clicked.add(message["ts"])
        user = SUPERVISOR_IDS[i % len(SUPERVISOR_IDS)]
        block_id, element = slack_payloads.find_element(message["blocks"], ACK_BUTTON, None)
        payload = slack_payloads.common(self.state, "block_actions", user)
        payload |= {
            "container": {
                "type": "message",
                "message_ts": message["ts"],
                "channel_id": SUPERVISORS,
            },
            "trigger_id": self.standin.new_trigger_id(user),
            "channel": {"id": SUPERVISORS, "name": "privategroup"},
            "state": {"values": {}},
            "response_url": self.standin.new_response_url(SUPERVISORS, user, message["ts"]),
            "actions": [slack_payloads.action(self.state, block_id, element, None)],
            "message": self.state.public_message(message),
        }
        return payload

    async def send(self, url: str, wire: str, payload: dict[str, Any]) -> tuple[int, str, float]:
        """(status, body, seconds) of one signed POST."""
        body, content_type = encode(wire, payload)
        stamp = str(int(time.time()))
        headers = {
            "Content-Type": content_type,
            "X-Slack-Request-Timestamp": stamp,
            "X-Slack-Signature": signature(SIGNING_SECRET, stamp, body),
        }
        assert self.session is not None
        started = time.perf_counter()
        async with self.session.post(url, data=body, headers=headers) as resp:
            text = await resp.text()
        return resp.status, text, time.perf_counter() - started


def _elements(message: dict[str, Any]) -> list[tuple[str, dict[str, Any]]]:
    return list(slack_payloads.iter_elements(message.get("blocks")))
