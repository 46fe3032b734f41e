"""App Home: opened by a person, who sees the parts their roles allow (asked of Slack now).

Clicks on 確認 and 担当する in the Home reach the alert's own listener (handlers/alert_actions),
which calls `after_case_click` here instead of answering through a response_url (a Home has
none). Every other Home button is handled here, and each one republishes the clicker's Home.
"""

from __future__ import annotations

import asyncio
import logging
from typing import Any

from slack_bolt.async_app import AsyncAck, AsyncBoltContext
from slack_sdk.errors import SlackApiError
from slack_sdk.web.async_client import AsyncWebClient

from bot.cases.home import home_data
from bot.cases.lifecycle import ActionResult
from bot.delivery.errors import classify, error_code
from bot.services import Services
from handlers.envelope import as_dict
from handlers.hr import handle_hr_word
from handlers.ids import Action, Block, Callback
from handlers.questions import answer_message
from handlers.report_modal import open_report_modal, tell_not_opened
from handlers.routes import Routes
from handlers.slack_limits import (
    INPUT_HINT_MAX,
    INPUT_LABEL_MAX,
    PLACEHOLDER_MAX,
)
from handlers.text import clean, modal, plain, section

log = logging.getLogger("kasuhara.handlers")
QUESTION_MAX = 500
PAGE_MAX = 1000
ANSWER_DEADLINE_S = 2.0


async def publish_home(svc: Services, user: str, *, page: int | None = None) -> None:
    """Build and publish `user`'s Home now; they are looking at it."""
    data = await home_data(svc, user, looking=True, page=page)
    await svc.gateway.publish_home(user, svc.renderer.home(data))


def from_home(body: dict[str, Any]) -> bool:
    """Whether a block action came from a Home tab (it then has no response_url)."""
    return as_dict(body.get("view")).get("type") == "home"


def _user(body: dict[str, Any]) -> str:
    return str(as_dict(body.get("user")).get("id", ""))


async def handle_home_opened(event: dict[str, Any], context: AsyncBoltContext) -> None:
    if event.get("tab", "home") != "home":
        return  # the Messages tab
    await publish_home(context["svc"], str(event["user"]), page=0)


async def _show_notice(svc: Services, client: AsyncWebClient, trigger: str, text: str) -> None:
    """A small modal: the Home itself is replaced by the next refresh, a notice there would
    vanish with it. The trigger lives 3 s; if it has expired the Home still shows the truth."""
    cat = svc.catalog
    view = modal(cat.t("home.notice_title"), [section(text)], close=cat.t("home.notice_close"))
    try:
        await client.views_open(trigger_id=trigger, view=view)
    except SlackApiError as exc:
        log.warning("home notice not shown: %s", error_code(exc.response))


async def after_case_click(
    svc: Services, client: AsyncWebClient, body: dict[str, Any], result: ActionResult
) -> None:
    """A 確認/担当する click in the Home has been performed: tell the clicker what the alert
    would have told them, then show their Home as it is now."""
    if result.notice_key:
        text = svc.catalog.t(result.notice_key, **result.notice_values)
        await _show_notice(svc, client, str(body.get("trigger_id", "")), text)
    await publish_home(svc, _user(body))


async def handle_home_report(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    try:
        await open_report_modal(client, context["svc"], body["trigger_id"])
    except Exception as exc:
        await tell_not_opened(context["svc"], exc, _user(body))


async def handle_page(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """もっと見る / 前へ / 最初に戻る: the button's value is the page to show."""
    await ack()
    raw = str((body.get("actions") or [{}])[0].get("value", ""))
    page = int(raw) if raw.isascii() and raw.isdigit() and int(raw) <= PAGE_MAX else 0
    await publish_home(context["svc"], _user(body), page=page)


async def handle_hr_button(ack: AsyncAck, body: dict[str, Any], context: AsyncBoltContext) -> None:
    """The digest and the CSV, by the rules of `/kasuhara digest|export`; the answer, which
    the command shows ephemerally, comes by DM (a Home cannot show an ephemeral message)."""
    await ack()
    svc: Services = context["svc"]
    user = _user(body)
    word = "digest" if body["actions"][0]["action_id"] == Action.HOME_DIGEST else "export"

    async def by_dm(text: str = "", blocks: Any = None, **_: Any) -> None:
        channel = await svc.gateway.open_dm(user)
        await svc.gateway.post(
            channel, {"text": text, "blocks": blocks} if blocks else {"text": text}
        )

    await handle_hr_word(svc, word, user, by_dm)
    await publish_home(svc, user)  # membership may have changed since the Home was drawn


def build_ask_modal(svc: Services) -> dict[str, Any]:
    cat = svc.catalog
    question = {
        "type": "input",
        "block_id": Block.QUESTION,
        "label": plain(cat.t("home_ask.label"), INPUT_LABEL_MAX),
        "hint": plain(cat.t("home_ask.hint"), INPUT_HINT_MAX),
        "element": {
            "type": "plain_text_input",
            "action_id": Action.QUESTION,
            "max_length": QUESTION_MAX,
            "placeholder": plain(cat.t("home_ask.placeholder"), PLACEHOLDER_MAX),
        },
    }
    return modal(
        cat.t("home_ask.title"),
        [question],
        close=cat.t("home_ask.close"),
        submit=cat.t("home_ask.submit"),
        callback_id=Callback.HOME_ASK,
    )


async def handle_ask_button(
    ack: AsyncAck, body: dict[str, Any], client: AsyncWebClient, context: AsyncBoltContext
) -> None:
    await ack()
    try:
        await client.views_open(trigger_id=body["trigger_id"], view=build_ask_modal(context["svc"]))
    except Exception as exc:
        await tell_not_opened(context["svc"], exc, _user(body))


async def handle_ask_submission(
    ack: AsyncAck, body: dict[str, Any], view: dict[str, Any], context: AsyncBoltContext
) -> None:
    """The answer goes by DM, quoting the policy (handlers/answer_view via questions); an
    empty or too long question, or a DM Slack refuses, is said in the modal."""
    svc: Services = context["svc"]
    values = as_dict(as_dict(view.get("state")).get("values"))
    raw = as_dict(as_dict(values.get(Block.QUESTION)).get(Action.QUESTION)).get("value")
    question = " ".join(clean(raw).split()) if isinstance(raw, str) else ""
    if not question or len(question) > QUESTION_MAX:
        key, extra = (
            ("home_ask.empty", {})
            if not question
            else ("home_ask.too_long", {"limit": QUESTION_MAX})
        )
        await ack(response_action="errors", errors={Block.QUESTION: svc.catalog.t(key, **extra)})
        return
    if not await _answer_by_dm(svc, _user(body), question):
        await ack(
            response_action="errors", errors={Block.QUESTION: svc.catalog.t("home_ask.failed")}
        )
        return
    await ack()


async def _answer_by_dm(svc: Services, user: str, question: str) -> bool:
    """Sent before the modal closes, so a DM Slack refuses is said in the modal, not lost;
    within ANSWER_DEADLINE_S, to leave room in Slack's 3 s for the answer to the submission."""
    try:
        async with asyncio.timeout(ANSWER_DEADLINE_S):
            channel = await svc.gateway.open_dm(user)
            await svc.gateway.post(channel, answer_message(svc, question))
    except Exception as exc:
        verdict = classify(exc)  # Slack's refusal (any body), the network, or the deadline
        if verdict is None:
            raise
        log.warning("policy answer not delivered: %s", verdict.code)
        return False
    return True


def register(app: Routes) -> None:
    app.event("app_home_opened")(handle_home_opened)
    app.action(Action.HOME_REPORT)(handle_home_report)
    app.action(Action.HOME_ASK)(handle_ask_button)
    app.view(Callback.HOME_ASK)(handle_ask_submission)
    for action in (Action.HOME_MORE, Action.HOME_PREVIOUS, Action.HOME_FIRST):
        app.action(action)(handle_page)
    for action in (Action.HOME_DIGEST, Action.HOME_EXPORT):
        app.action(action)(handle_hr_button)
