"""manifest.yml imports into Slack as is, and declares exactly what the app listens for."""

from __future__ import annotations

import json
from pathlib import Path

import jsonschema
import yaml

from handlers.ids import COMMAND, Callback
from tests.shared import need_shared

ROOT = Path(__file__).resolve().parents[1]
MANIFEST = yaml.safe_load((ROOT / "manifest.yml").read_text("utf-8"))


def test_manifest_validates_against_slacks_schema() -> None:
    path = need_shared("slack-specs", "manifest-schema", "schemas", "manifest.schema.2.0.0.json")
    schema = json.loads(path.read_text("utf-8"))
    errors = [e.message for e in jsonschema.Draft7Validator(schema).iter_errors(MANIFEST)]
    assert errors == []


def _registered() -> dict[str, set[str]]:
    from slack_bolt.async_app import AsyncApp

    import handlers

    seen: dict[str, set[str]] = {"command": set(), "shortcut": set(), "event": set()}
    app = AsyncApp(token="xoxb-test", signing_secret="s")
    original = {"command": app.command, "shortcut": app.shortcut, "event": app.event}
    for kind, register in original.items():

        def record(key: object, *a: object, _kind: str = kind, _reg=register, **kw: object):  # type: ignore[no-untyped-def]
            seen[_kind].add(str(key))
            return _reg(key, *a, **kw)

        setattr(app, kind, record)
    handlers.register_all(app)
    return seen


def test_manifest_matches_registered_listeners() -> None:
    seen = _registered()
    features = MANIFEST["features"]
    assert {c["command"] for c in features["slash_commands"]} == seen["command"] == {COMMAND}
    assert (
        {s["callback_id"] for s in features["shortcuts"]}
        == seen["shortcut"]
        == {Callback.SHORTCUT_REPORT, Callback.SHORTCUT_MESSAGE}
    )
    events = set(MANIFEST["settings"]["event_subscriptions"]["bot_events"])
    assert {e.split(".")[0] for e in events} == seen["event"]
    assert MANIFEST["settings"]["interactivity"]["is_enabled"] is True


def test_manifest_scopes_cover_every_method_the_app_calls() -> None:
    specs = need_shared("slack-specs", "methods")
    used = [
        "chat.postMessage",
        "chat.update",
        "chat.postEphemeral",
        "conversations.info",
        "conversations.members",
        "conversations.open",
        "conversations.history",
        "users.info",
        "files.getUploadURLExternal",
        "files.completeUploadExternal",
    ]
    scopes = set(MANIFEST["oauth_config"]["scopes"]["bot"])
    for method in used:
        needed = json.loads((specs / f"{method}.json").read_text("utf-8"))["scope"]["bot"]
        assert scopes & set(needed), f"{method} needs one of {needed}"


def test_root_manifest_is_the_packaged_one() -> None:
    """Slack's "create from manifest" reads the root file; the app reads the package's."""
    from bot.cli.check import load_manifest

    assert load_manifest() == MANIFEST
