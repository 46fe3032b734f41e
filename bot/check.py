"""`kasuhara-bot check` and the start-up guard: identity, scopes, both channels private."""

from __future__ import annotations

import logging
from pathlib import Path

import yaml
from slack_sdk.errors import SlackApiError

from bot.config import Settings
from bot.messages import Catalog, catalog
from bot.services import Services
from bot.slack_io import ChannelVerdict, SlackGateway, make_client

log = logging.getLogger("kasuhara")
MANIFEST = Path(__file__).resolve().parent.parent / "manifest.yml"


def required_scopes() -> set[str]:
    if not MANIFEST.exists():
        return set()
    manifest = yaml.safe_load(MANIFEST.read_text("utf-8"))
    return set(manifest["oauth_config"]["scopes"]["bot"])


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
