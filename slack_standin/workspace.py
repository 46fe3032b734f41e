"""The fake workspace the stand-in plays: team, bot identity, channels, users."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime
from zoneinfo import ZoneInfo

from slack_standin.spec_data import METHODS

# The bot token gets every scope any served method asks for, so a fresh Workspace "just works";
# tests narrow it to provoke missing_scope.
DEFAULT_SCOPES: frozenset[str] = frozenset(s for spec in METHODS.values() for s in spec.bot_scopes)


@dataclass(frozen=True)
class ChannelInfo:
    id: str
    name: str
    is_private: bool = False
    is_ext_shared: bool = False
    # Shared between workspaces of one Enterprise Grid organisation (internal), and a Slack
    # Connect invitation sent but not yet accepted (external soon): conversation object docs.
    is_org_shared: bool = False
    is_pending_ext_shared: bool = False
    members: tuple[str, ...] = ()
    is_im: bool = False
    is_mpim: bool = False
    is_archived: bool = False
    user: str | None = None  # the other party of an IM
    topic: str = ""
    purpose: str = ""
    created: int = 1700000000

    @property
    def kind(self) -> str:
        """Slack's scope family for this conversation type."""
        if self.is_im:
            return "im"
        if self.is_mpim:
            return "mpim"
        return "groups" if self.is_private else "channels"


@dataclass(frozen=True)
class UserInfo:
    id: str
    name: str
    real_name: str = ""
    tz: str = "Asia/Tokyo"
    is_bot: bool = False
    deleted: bool = False
    email: str | None = None
    is_admin: bool = False
    locale: str = "ja-JP"
    # Set for a person of another organisation met in a Slack Connect channel or DM (their
    # own workspace, and enterprise when it is a Grid organisation); None: the workspace's.
    team_id: str | None = None
    enterprise_id: str | None = None

    def tz_offset(self, at: float) -> int:
        """Seconds east of UTC at time `at`, as users.info reports it."""
        offset = datetime.fromtimestamp(at, ZoneInfo(self.tz)).utcoffset()
        return int(offset.total_seconds()) if offset else 0

    def tz_label(self, at: float) -> str:
        return datetime.fromtimestamp(at, ZoneInfo(self.tz)).tzname() or self.tz


@dataclass
class Workspace:
    team_id: str = "T0KASU"
    team_name: str = "kasuhara-demo"
    bot_user_id: str = "UBOT"
    bot_id: str = "BBOT"
    bot_token: str = "xoxb-standin"
    scopes: frozenset[str] = DEFAULT_SCOPES
    channels: dict[str, ChannelInfo] = field(default_factory=dict)
    users: dict[str, UserInfo] = field(default_factory=dict)
    usergroups: dict[str, tuple[str, ...]] = field(default_factory=dict)
    app_token: str = "xapp-1-standin"
    app_id: str = "A0STANDIN"
    bot_name: str = "kasuhara-bot"
    verification_token: str = "standin-verification-token"
    # Enterprise Grid: the organisation; `org_install` for an org-wide installation, whose
    # interaction payloads carry "team": null.
    enterprise_id: str | None = None
    enterprise_name: str = "kasuhara-org"
    org_install: bool = False

    @property
    def domain(self) -> str:
        return self.team_name

    @property
    def url(self) -> str:
        return f"https://{self.domain}.slack.com/"

    def team_of(self, user_id: str) -> str:
        user = self.users.get(user_id)
        return (user.team_id if user else None) or self.team_id

    def enterprise_of(self, user_id: str) -> str | None:
        user = self.users.get(user_id)
        if user is not None and user.team_id and user.team_id != self.team_id:
            return user.enterprise_id  # another workspace: its own enterprise, if any
        return self.enterprise_id

    def user_name(self, user_id: str) -> str:
        user = self.users.get(user_id)
        return user.name if user else user_id.lower()
