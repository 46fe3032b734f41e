"""`kasuhara-bot check` and the start-up guard: identity, scopes, both channels private and
internal, escalation contacts reachable, and messages held for a fix in Slack."""

from __future__ import annotations

import asyncio
import logging
from importlib import resources
from pathlib import Path
from typing import Any

from slack_sdk.errors import SlackApiError
from sqlalchemy.engine import make_url
from sqlalchemy.exc import SQLAlchemyError

from bot.config import Settings
from bot.delivery.errors import error_code
from bot.delivery.slack_client import make_client
from bot.delivery.slack_io import ChannelVerdict, SlackGateway
from bot.messages import Catalog, catalog
from bot.services import Services

log = logging.getLogger("kasuhara")


def load_manifest() -> dict[str, Any]:
    """The app manifest shipped as package data (``bot/manifest.yml``; the repository root's
    ``manifest.yml`` links to it for Slack's "create from manifest"). Raises ``FileNotFoundError``
    when the package was built without it, so a broken build is never read as "no scopes"."""
    import yaml  # only `check` and the tests read the manifest; `run` starts without PyYAML

    text = resources.files("bot").joinpath("manifest.yml").read_text("utf-8")
    manifest: dict[str, Any] = yaml.safe_load(text)
    return manifest


def required_scopes() -> set[str]:
    """Bot token scopes the manifest asks for: ``oauth_config.scopes.bot``."""
    return set(load_manifest()["oauth_config"]["scopes"]["bot"])


async def channel_verdict(gateway: SlackGateway, channel: str) -> ChannelVerdict:
    """The gateway's verdict; a refused token or Slack outage is a verdict too, here."""
    try:
        return await gateway.verdict(channel)
    except SlackApiError as exc:
        return ChannelVerdict(channel, False, error_code(exc.response) or "unreachable")


async def user_problem(gateway: SlackGateway, user: str) -> str | None:
    """Why `user` cannot receive an escalation DM (catalogue key under check.), or None."""
    try:
        info = await gateway.client.users_info(user=user)
    except SlackApiError as exc:
        return "user_missing" if error_code(exc.response) == "user_not_found" else "unreachable"
    person = info.get("user") or {}
    if person.get("deleted"):
        return "user_disabled"
    if person.get("is_bot"):
        return "user_bot"
    return None


def _reason(cat: Catalog, reason: str | None) -> str:
    key = f"check.{reason}"
    return cat.t(key) if cat.has(key) else cat.t("check.slack_error", code=reason or "-")


def _line(cat: Catalog, label: str, v: ChannelVerdict) -> str:
    mark = cat.t("check.ok") if v.safe else cat.t("check.ng")
    if v.safe:
        return f"[{mark}] " + cat.t("check.channel_ok", label=label, channel=v.channel)
    return f"[{mark}] " + cat.t(
        "check.channel_bad", label=label, channel=v.channel or "-", reason=_reason(cat, v.reason)
    )


async def _escalation_lines(
    cat: Catalog, gateway: SlackGateway, users: tuple[str, ...]
) -> list[str]:
    if not users:  # allowed: escalations then go to the alert's thread
        return ["[--] " + cat.t("check.escalation_none")]
    lines, reachable = [], 0
    for user in users:
        problem = await user_problem(gateway, user)
        reachable += problem is None
        mark = cat.t("check.ok") if problem is None else cat.t("check.ng")
        state = cat.t("check.user_ok") if problem is None else _reason(cat, problem)
        lines.append(f"[{mark}] " + cat.t("check.escalation_user", user=user, state=state))
    if not reachable:
        lines.append(f"[{cat.t('check.ng')}] " + cat.t("check.escalation_nobody"))
    return lines


async def _delivery_lines(cat: Catalog, settings: Settings) -> tuple[list[str], bool]:
    """Held or failed messages in the database; nothing when there is no database yet."""
    from bot.delivery.holds import health
    from storage.db import engine_for, make_sessions

    url = make_url(settings.database_url)
    if url.drivername.startswith("sqlite") and not _exists(url.database or ""):
        return [], True
    try:
        async with asyncio.timeout(10), engine_for(settings.database_url) as engine:
            reasons = await health(make_sessions(engine))
    except (OSError, SQLAlchemyError, TimeoutError) as exc:
        return [
            f"[{cat.t('check.ng')}] " + cat.t("check.database", error=type(exc).__name__)
        ], False
    if not reasons:
        return [f"[{cat.t('check.ok')}] " + cat.t("check.delivery_ok")], True
    return [f"[{cat.t('check.ng')}] " + cat.t("check.held", reason=r) for r in reasons], False


def _exists(path: str) -> bool:
    """A SQLite file is only looked into when it is there: `check` creates nothing."""
    return path != ":memory:" and Path(path).exists()


async def run_check(settings: Settings) -> tuple[str, bool]:
    gateway = SlackGateway(make_client(settings.bot_token, settings.slack_api_url))
    try:
        return await _check(gateway, settings)
    finally:
        await gateway.close()


async def _check(gateway: SlackGateway, settings: Settings) -> tuple[str, bool]:
    cat = catalog(settings.language)
    try:
        who = await gateway.identity()
    except SlackApiError as exc:
        code = error_code(exc.response) or "unreachable"
        return f"[{cat.t('check.ng')}] " + cat.t("check.token", code=code), False
    missing = sorted(required_scopes() - set(filter(None, who["scopes"].split(","))))
    lines = [cat.t("check.bot", user=who["user"], team=who["team"])]
    lines.append(
        cat.t("check.missing_scopes", scopes=", ".join(missing))
        if missing
        else cat.t("check.scopes_ok")
    )
    ok = not missing
    for key, channel in (("supervisors", settings.supervisor_channel), ("hr", settings.hr_channel)):
        verdict = await channel_verdict(gateway, channel)
        lines.append(_line(cat, cat.t(f"check.{key}"), verdict))
        ok = ok and verdict.safe
    escalation = await _escalation_lines(cat, gateway, settings.escalation_users)
    delivery, delivered = await _delivery_lines(cat, settings)
    ok = ok and delivered and not any(f"[{cat.t('check.ng')}]" in line for line in escalation)
    return "\n".join(lines + escalation + delivery), ok


async def verify_start(svc: Services) -> bool:
    """At start-up: say in the log why reports will not be posted or escalated, before
    anyone reports; /healthz shows the same until it is fixed."""
    ok = True
    for channel in (svc.settings.supervisor_channel, svc.settings.hr_channel):
        verdict = await channel_verdict(svc.gateway, channel)
        svc.deliverer.note_channel(channel, verdict)
        if not verdict.safe:
            ok = False
            log.error(
                "channel refused event=channel_refused channel=%s reason=%s",
                channel or "-",
                verdict.reason,
            )
    for user in svc.settings.escalation_users:
        problem = await user_problem(svc.gateway, user)
        svc.deliverer.note_user(user, problem)
        if problem:
            ok = False
            log.error("escalation contact event=escalation_user user=%s problem=%s", user, problem)
    return ok
