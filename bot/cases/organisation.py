"""Who counts as the organisation's own people (DESIGN §1: only they report and ask).

Inside: a person of the installing workspace, of any workspace of the installing Enterprise
Grid organisation, or of a group company listed in KASUHARA_ALLOWED_TEAMS (team or enterprise
ids). Everyone else — users of other organisations met in Slack Connect channels and DMs — is
refused politely, the attempt audited, and nothing of theirs stored.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from bot.services import Services
from storage.audit import add_audit

log = logging.getLogger("kasuhara.cases")


@dataclass(frozen=True)
class Organisation:
    """The installation, as auth.test names it: workspace `T…` and, on Grid, enterprise `E…`."""

    team_id: str | None
    enterprise_id: str | None


@dataclass(frozen=True)
class Actor:
    """A person acting, with the workspace (`T…`) and enterprise (`E…`) Slack's payload says
    they belong to; None where the payload does not say."""

    user_id: str
    team_id: str | None
    enterprise_id: str | None


def same_workspace(actor: Actor, home: Organisation, allowed: tuple[str, ...]) -> bool:
    """The person's workspace is the installation's or an allowed group company's."""
    return bool(actor.team_id and (actor.team_id == home.team_id or actor.team_id in allowed))


def enterprise_matters(home: Organisation, allowed: tuple[str, ...]) -> bool:
    """Whether another workspace can still be inside: the installation is on Enterprise Grid,
    or a whole group organisation (E…) is allowed."""
    return bool(home.enterprise_id) or any(a.startswith("E") for a in allowed)


def belongs(actor: Actor, home: Organisation, allowed: tuple[str, ...]) -> bool:
    """Inside when the person's workspace is the installation's or an allowed group company's,
    or their enterprise is the installation's (Grid) or allowed."""
    if same_workspace(actor, home, allowed):
        return True
    enterprise = actor.enterprise_id
    return bool(enterprise and (enterprise == home.enterprise_id or enterprise in allowed))


async def refuse_outsider(svc: Services, actor: Actor, surface: str) -> None:
    """Record the refused attempt: who, from which workspace, where. Nothing else is kept."""
    async with svc.sessions.begin() as session:
        await add_audit(
            session,
            at=svc.clock.now(),
            actor_id=actor.user_id,
            action="access.outside_organisation",
            detail={"team": actor.team_id, "enterprise": actor.enterprise_id, "where": surface},
        )
    log.warning(
        "outside the organisation refused user=%s team=%s enterprise=%s where=%s",
        actor.user_id,
        actor.team_id,
        actor.enterprise_id,
        surface,
    )
