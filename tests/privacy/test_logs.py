"""Logs hold ids, lengths and hashes: never tokens, report text or question text."""

from __future__ import annotations

import io
import logging
import sys
from collections.abc import Iterator

import pytest
from sqlmodel import select

from bot.demo.harness import BOT_TOKEN, SIGNING_SECRET, STAFF, Harness, running_harness
from bot.logging_setup import SafeFormatter, configure_logging, fingerprint
from storage.models import Report
from tests.app.helpers import alerts, click, submit
from tests.privacy.story import SATO, resolve

DESCRIPTION = "ログ確認用の記述:カウンター越しに胸ぐらをつかまれた"
CUSTOMER = "ログ確認用の顧客:渡辺 三郎様 090-1234-5678"
OUTCOME = "ログ確認用の結果:警察に被害届を提出"
COMMAND_QUESTION = "ログ確認用の質問 土下座しろと言われたらどうすればいい"
DM_QUESTION = "ログ確認用のDM質問 何回も同じことで電話してくる"
MENTION_QUESTION = "ログ確認用のメンション質問 SNSで名前をさらされた"
CUSTOMER_KEY = "ログ確認用の契約番号 03-9876-5432"
TEXTS = (
    DESCRIPTION,
    CUSTOMER,
    OUTCOME,
    COMMAND_QUESTION,
    DM_QUESTION,
    MENTION_QUESTION,
    CUSTOMER_KEY,
    "0398765432",  # the key's canonical form
)


@pytest.fixture
def console(caplog: pytest.LogCaptureFixture) -> Iterator[io.StringIO]:
    """The operator's configuration at LOG_LEVEL=DEBUG, with pytest capturing every record
    that configuration lets through, from every logger."""
    caplog.set_level(logging.DEBUG)
    stream = io.StringIO()
    handler = configure_logging(logging.DEBUG, stream=stream)
    try:
        yield stream
    finally:
        logging.getLogger().removeHandler(handler)


async def _story(h: Harness) -> None:
    await submit(h, DESCRIPTION, customer=CUSTOMER, customer_key=CUSTOMER_KEY, behaviours=(4,))
    await submit(h, DESCRIPTION, customer_key=CUSTOMER_KEY)  # a linked report
    alert = alerts(h)[0]
    await click(h, SATO, "case.ack", alert)
    await click(h, SATO, "case.take", alert)
    await resolve(h, alert, OUTCOME, user=SATO)
    await click(h, SATO, "case.record", alerts(h)[1])
    await h.driver.slash_command(user_id=STAFF[1], command="/kasuhara", text=COMMAND_QUESTION)
    dm = h.standin.dm_channel(STAFF[1])
    await h.driver.deliver_message_event(h.standin.post_user_message(dm, STAFF[1], DM_QUESTION))
    mention = f"<@UBOT> {MENTION_QUESTION}"
    await h.driver.deliver_app_mention(h.standin.post_user_message("CPUBLIC01", STAFF[1], mention))
    await h.settle()


def _everything(caplog: pytest.LogCaptureFixture, console: io.StringIO) -> str:
    """Each record's message, arguments and exception, raw, plus what the console printed."""
    raw = []
    for record in caplog.records:
        raw += [record.name, record.getMessage(), repr(record.args), record.exc_text or ""]
        if record.exc_info and record.exc_info[1] is not None:
            raw.append(str(record.exc_info[1]))
    return "\n".join(raw) + console.getvalue()


async def test_a_whole_story_logs_no_text_and_no_secret(
    database_url: str, caplog: pytest.LogCaptureFixture, console: io.StringIO
) -> None:
    async with running_harness(database_url) as h:
        assert h.svc.settings.data_key is not None
        data_key = h.svc.settings.data_key.get_secret_value()
        await _story(h)
        dm = h.standin.messages(h.standin.dm_channel(STAFF[1]))
        assert [m for m in dm if m.get("bot_id")], "the DM question was answered"
    assert not logging.getLogger("slack_sdk.web.async_base_client").isEnabledFor(logging.DEBUG)
    assert not logging.getLogger("slack_bolt.AsyncApp").isEnabledFor(logging.DEBUG)
    # Bolt names each listener's logger after the app (bot/app.py names it), outside "slack_bolt".
    listeners = [n for n in logging.root.manager.loggerDict if n.startswith(f"{h.app.name}:")]
    assert listeners and not [
        n for n in listeners if logging.getLogger(n).isEnabledFor(logging.DEBUG)
    ]
    logged = _everything(caplog, console)
    assert "report saved case=KH-" in logged  # the story did log, by id and length
    assert "question answered length=" in logged
    assert "record produced case=KH-2026-0002" in logged
    async with h.svc.sessions() as session:
        hashes = [r.customer_key_hash for r in (await session.exec(select(Report))).all()]
    assert len(set(hashes)) == 1 and hashes[0]
    assert hashes[0] not in logged
    for text in TEXTS:
        assert text not in logged
        assert text[:12] not in logged  # not even a prefix
    for secret in (BOT_TOKEN, SIGNING_SECRET, data_key, "xoxb-"):
        assert secret not in logged
    assert [r for r in caplog.records if r.levelno >= logging.ERROR] == []


def test_console_formatter_hides_exception_messages_and_tokens() -> None:
    formatter = SafeFormatter(secrets=["a-signing-secret-value"])
    try:
        try:
            int(DESCRIPTION)
        except ValueError as exc:
            raise RuntimeError(f"wrapped {CUSTOMER}") from exc
    except RuntimeError:
        record = logging.LogRecord(
            "kasuhara", logging.ERROR, __file__, 1, "token %s secret %s", None, None
        )
        record.args = ("xoxb-1234-5678-abcdef", "a-signing-secret-value")
        record.exc_info = sys.exc_info()
    text = formatter.format(record)
    assert "ValueError" in text and "RuntimeError" in text and "which caused" in text
    assert fingerprint(f"wrapped {CUSTOMER}") in text
    for leaked in (DESCRIPTION, CUSTOMER, "xoxb-1234", "a-signing-secret-value"):
        assert leaked not in text
