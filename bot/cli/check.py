"""`kasuhara-bot check` and the start-up guard: identity, scopes, both channels private."""

from __future__ import annotations

import logging
from importlib import resources
from typing import Any

import yaml
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.delivery.slack_io import ChannelVerdict, SlackGateway, make_client
from bot.messages import Catalog, catalog
from bot.services import Services

log = logging.getLogger("kasuhara")


def load_manifest() -> dict[str, Any]:
    """The app manifest shipped as package data (``bot/manifest.yml``; the repository root's
    ``manifest.yml`` links to it for Slack's "create from manifest"). Raises ``FileNotFoundError``
    when the package was built without it, so a broken build is never read as "no scopes"."""
    text = resources.files("bot").joinpath("manifest.yml").read_text("utf-8")
    manifest: dict[str, Any] = yaml.safe_load(text)
    return manifest


def required_scopes() -> set[str]:
    """Bot token scopes the manifest asks for: ``oauth_config.scopes.bot``."""
    return set(load_manifest()["oauth_config"]["scopes"]["bot"])


async def channel_verdict(gateway: SlackGateway, channel: str) -> ChannelVerdict:
    try:
        return await gateway.verdict(channel)
    except SlackApiError as exc:
        reason = "not_found" if exc.response.get("error") == "channel_not_found" else "not_member"
        return ChannelVerdict(channel, False, reason)


def _line(cat: Catalog, label: str, v: ChannelVerdict) -> str:
    mark = cat.t("check.ok") if v.safe else cat.t("check.ng")
    if v.safe:
        return f"[{mark}] " + cat.t("check.channel_ok", label=label, channel=v.channel)
    reason = cat.t(f"check.{v.reason}")
    return f"[{mark}] " + cat.t(
        "check.channel_bad", label=label, channel=v.channel or "-", reason=reason
    )


async def run_check(settings: Settings) -> tuple[str, bool]:
    cat = catalog(settings.language)
    gateway = SlackGateway(make_client(settings.bot_token, settings.slack_api_url))
    who = await gateway.identity()
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
    return "\n".join(lines), ok


async def verify_channels(svc: Services) -> bool:
    """At start-up: say in the log why reports will not be posted, before anyone reports."""
    ok = True
    for channel in (svc.settings.supervisor_channel, svc.settings.hr_channel):
        verdict = await channel_verdict(svc.gateway, channel)
        if not verdict.safe:
            ok = False
            log.error("channel %s refused for report content: %s", channel or "-", verdict.reason)
    return ok
