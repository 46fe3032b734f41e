"""Shared steps for the Slack-shape cases: a message shortcut, and the report modal it opened."""

from __future__ import annotations

from typing import Any

from bot.demo.harness import STAFF, Harness, demo_workspace, report_state
from slack_standin import ChannelInfo, UserInfo, Workspace


async def shortcut_on(
    h: Harness, channel: str, message: dict[str, Any], user: str = STAFF[0]
) -> Any:
    """Click 「このメッセージを報告」 on a stored message; returns the report modal it opened."""
    before = set(h.standin.views)
    resp = await h.driver.message_shortcut(user, "report.message_shortcut", channel, message["ts"])
    assert resp.status == 200 and not resp.late
    await h.settle()
    opened = [h.standin.views[v] for v in h.standin.views if v not in before]
    assert len(opened) == 1, "exactly one modal opens"
    return opened[0]


def prefill(view: dict[str, Any]) -> str:
    field = next(b for b in view["blocks"] if b.get("block_id") == "report.description")
    return str(field["element"].get("initial_value", ""))


def context_text(view: dict[str, Any]) -> str:
    return "\n".join(
        e.get("text", "") for b in view["blocks"] if b["type"] == "context" for e in b["elements"]
    )


async def submit_open(h: Harness, view: dict[str, Any], user: str = STAFF[0]) -> Any:
    """Submit the modal as shown (its prefilled description), choosing a contact channel."""
    values = report_state(prefill(view))
    resp = await h.driver.view_submission(user_id=user, view_id=view["id"], values=values)
    await h.settle()
    return resp


PARTNER = "UPARTNER1"  # a customer company's person, met in a Slack Connect channel
SISTER = "USISTER01"  # another workspace of the same Enterprise Grid organisation
GROUP = "UGROUP001"  # a group company in a workspace of its own
SHARED = "CSHARED01"
REFUSED = "他の組織の方からの報告やご質問はお受けできません"


def connect_workspace(**extra: Any) -> Workspace:
    """The demo workspace on Enterprise Grid (E0KASU), with a Slack Connect channel and DM
    shared with a customer company, a sister workspace and a group company."""
    base = demo_workspace()
    users = dict(base.users) | {
        PARTNER: UserInfo(id=PARTNER, name="partner", team_id="TPARTNER1"),
        SISTER: UserInfo(id=SISTER, name="sister", team_id="TSISTER01", enterprise_id="E0KASU"),
        GROUP: UserInfo(id=GROUP, name="group", team_id="TGROUP001"),
    }
    shared = ChannelInfo(
        id=SHARED,
        name="partner-connect",
        is_ext_shared=True,
        members=(*STAFF, PARTNER, SISTER, GROUP, "UBOT"),
    )
    ext_dm = ChannelInfo(
        id="DPARTNER1",
        name="",
        is_private=True,
        is_im=True,
        is_ext_shared=True,
        members=(PARTNER, "UBOT"),
        user=PARTNER,
    )
    channels = dict(base.channels) | {SHARED: shared, ext_dm.id: ext_dm}
    return demo_workspace(users=users, channels=channels, enterprise_id="E0KASU", **extra)
