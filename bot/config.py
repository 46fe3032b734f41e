"""The one settings object, read from the environment or `.env`."""

from __future__ import annotations

import os
import re
from datetime import time
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from dotenv import dotenv_values
from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./kasuhara.db"
DIGEST_CRON = "0 9 * * mon"  # Monday 09:00 in KASUHARA_TIMEZONE
# Slack ids: https://api.slack.com/changelog/2016-08-11-user-id-format-changes. A channel is
# C (or G for older private channels); a person U, or W in Enterprise Grid.
CHANNEL_ID = re.compile(r"^[CG][A-Z0-9]{2,}$")
USER_ID = re.compile(r"^[UW][A-Z0-9]{2,}$")
# The app is async: only these drivers work. Bare scheme names (as hosting providers print
# them) are mapped to the async driver; a sync driver is refused by name.
ASYNC_DRIVERS = {
    "postgres": "postgresql+asyncpg",
    "postgresql": "postgresql+asyncpg",
    "postgresql+asyncpg": "postgresql+asyncpg",
    "sqlite": "sqlite+aiosqlite",
    "sqlite+aiosqlite": "sqlite+aiosqlite",
}


class ConfigError(Exception):
    """Settings are missing or malformed; the message has one line per problem, naming the
    setting."""


class StartupError(Exception):
    """Something the app needs at start is unreachable (the database); one line."""


def _split_ids(value: object) -> tuple[str, ...]:
    if isinstance(value, str):
        return tuple(part.strip() for part in value.split(",") if part.strip())
    if isinstance(value, list | tuple):
        return tuple(str(v).strip() for v in value if str(v).strip())
    raise ValueError("comma-separated Slack ids expected")


class Settings(BaseSettings):
    model_config = SettingsConfigDict(
        env_file=".env", env_file_encoding="utf-8", extra="ignore", populate_by_name=True
    )

    slack_bot_token: SecretStr = Field(SecretStr(""), alias="SLACK_BOT_TOKEN")
    slack_signing_secret: SecretStr = Field(SecretStr(""), alias="SLACK_SIGNING_SECRET")
    slack_app_token: SecretStr | None = Field(None, alias="SLACK_APP_TOKEN")
    slack_api_url: str = Field("https://slack.com/api/", alias="SLACK_API_URL")
    supervisor_channel: str = Field("", alias="KASUHARA_SUPERVISOR_CHANNEL")
    hr_channel: str = Field("", alias="KASUHARA_HR_CHANNEL")
    escalation_users: Annotated[tuple[str, ...], NoDecode] = Field(
        (), alias="KASUHARA_ESCALATION_USERS"
    )
    # Group companies in workspaces of their own, admitted besides the installing one (DESIGN §1).
    allowed_teams: Annotated[tuple[str, ...], NoDecode] = Field((), alias="KASUHARA_ALLOWED_TEAMS")
    policy_path: Path | None = Field(None, alias="KASUHARA_POLICY_PATH")
    timezone: str = Field("Asia/Tokyo", alias="KASUHARA_TIMEZONE")
    digest_cron: str = Field(DIGEST_CRON, alias="KASUHARA_DIGEST_CRON")
    data_key: SecretStr | None = Field(None, alias="KASUHARA_DATA_KEY")
    database_url: str = Field(DEFAULT_DATABASE_URL, alias="DATABASE_URL")
    port: int = Field(3000, alias="PORT", ge=1, le=65535)
    language: str = Field("ja", alias="KASUHARA_LANGUAGE", pattern="^(ja|en)$")
    support_contacts: str = Field("", alias="KASUHARA_SUPPORT_CONTACTS")
    internal_desk: str = Field("", alias="KASUHARA_INTERNAL_DESK")
    retention: str = Field("3y", alias="KASUHARA_RETENTION", pattern=r"^[1-9]\d*[ymwd]$")
    reminder_minutes: int = Field(15, alias="KASUHARA_REMINDER_MINUTES", ge=1)
    urgent_reminder_minutes: int = Field(5, alias="KASUHARA_URGENT_REMINDER_MINUTES", ge=1)
    escalate_minutes: int = Field(60, alias="KASUHARA_ESCALATE_MINUTES", ge=1)
    urgent_escalate_minutes: int = Field(15, alias="KASUHARA_URGENT_ESCALATE_MINUTES", ge=1)
    checkin_days: Annotated[tuple[int, ...], NoDecode] = Field(
        (1, 7), alias="KASUHARA_CHECKIN_DAYS"
    )
    stale_business_days: int = Field(3, alias="KASUHARA_STALE_BUSINESS_DAYS", ge=1)
    quiet_hours: str = Field(
        "20:00-08:00", alias="KASUHARA_QUIET_HOURS", pattern=r"^\d\d:\d\d-\d\d:\d\d$"
    )
    # Reports about one customer (this one included) at which the alert quotes the policy's
    # passage on the police and lawyers and suggests involving them.
    link_threshold: int = Field(3, alias="KASUHARA_LINK_THRESHOLD", ge=2)
    # Printed at the head of a case record; empty: the Slack workspace's name.
    organisation: str = Field("", alias="KASUHARA_ORGANISATION", max_length=200)
    outbox_lease_seconds: float = Field(60, alias="KASUHARA_OUTBOX_LEASE_SECONDS", gt=0)
    # How often a message held for a fix in Slack (channel, token, user) is tried again.
    hold_recheck_seconds: float = Field(60, alias="KASUHARA_HOLD_RECHECK_SECONDS", gt=0)
    # How long the reporter's receipt waits for the alert before saying it is not posted yet.
    receipt_wait_seconds: float = Field(30, alias="KASUHARA_RECEIPT_WAIT_SECONDS", ge=0)
    # Whom a reporter should contact directly while the supervisors cannot be reached.
    direct_contact: str = Field("", alias="KASUHARA_DIRECT_CONTACT")
    # Slack waits 3 s for an ack: a request that needs the database (a report's save) answers
    # within this many seconds of arriving, in the app's own words if the database is slow.
    ack_budget_seconds: float = Field(2.6, alias="KASUHARA_ACK_BUDGET_SECONDS", gt=0, le=2.8)
    scheduler_enabled: bool = Field(True, alias="KASUHARA_SCHEDULER")
    log_level: str = Field("INFO", alias="LOG_LEVEL")

    @field_validator("escalation_users", mode="before")
    @classmethod
    def _ids(cls, value: object) -> tuple[str, ...]:
        ids = _split_ids(value)
        wrong = [v for v in ids if not USER_ID.match(v)]
        if wrong:
            raise ValueError(
                f"user ids such as U0123456789 are expected, not names: {', '.join(wrong)}"
            )
        return ids

    @field_validator("allowed_teams", mode="before")
    @classmethod
    def _teams(cls, value: object) -> tuple[str, ...]:
        teams = _split_ids(value)
        for team in teams:
            if not (team[:1] in {"T", "E"} and team.isascii() and team.isalnum()):
                raise ValueError(f"{team!r} is not a team id such as T0123456789")
        return teams

    @field_validator("checkin_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> tuple[int, ...]:
        parts = _split_ids(value)
        if not all(p.isascii() and p.isdigit() and int(p) > 0 for p in parts):
            raise ValueError(f"positive whole days such as 1,7 are expected: {value}")
        return tuple(int(p) for p in parts)

    @field_validator("quiet_hours")
    @classmethod
    def _hours(cls, value: str) -> str:
        for part in value.split("-"):
            try:
                time.fromisoformat(part)
            except ValueError:
                raise ValueError(f"hours as HH:MM-HH:MM (00:00-23:59) expected: {value}") from None
        return value

    @field_validator("slack_api_url")
    @classmethod
    def _url(cls, value: str) -> str:
        parts = urlsplit(value)
        if parts.scheme not in ("http", "https") or not parts.hostname or " " in value:
            raise ValueError(f"an http(s) URL such as https://slack.com/api/ is expected: {value}")
        return value if value.endswith("/") else value + "/"

    @field_validator("database_url")
    @classmethod
    def _database(cls, value: str) -> str:
        try:
            url = make_url(value)
        except ArgumentError:
            raise ValueError(
                "a URL such as postgresql+asyncpg://user@host/db is expected"
            ) from None
        driver = ASYNC_DRIVERS.get(url.drivername)
        if driver is None:
            raise ValueError(
                f"driver {url.drivername!r} is not supported: use postgresql+asyncpg:// "
                "or sqlite+aiosqlite://"
            )
        return url.set(drivername=driver).render_as_string(hide_password=False)

    @field_validator("timezone")
    @classmethod
    def _tz(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError) as exc:
            raise ValueError(f"unknown time zone {value!r}") from exc
        return value

    @field_validator("digest_cron")
    @classmethod
    def _cron(cls, value: str) -> str:
        if value == DIGEST_CRON:  # pydantic-settings validates defaults too: spare the import
            return value
        from bot.digest.cron import cron_trigger  # APScheduler only for an operator's own line

        cron_trigger(value, ZoneInfo("UTC"))
        return value

    @field_validator("supervisor_channel", "hr_channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if value and not CHANNEL_ID.match(value):
            raise ValueError(f"a channel id such as C0123456789 is expected: {value}")
        return value

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    @property
    def socket_mode(self) -> bool:
        return bool(self.slack_app_token and self.slack_app_token.get_secret_value())

    @property
    def bot_token(self) -> str:
        return self.slack_bot_token.get_secret_value()

    def require(self, *names: str) -> None:
        """Stop start-up when settings needed by a command are empty: all of them named at
        once, one line each."""
        missing = []
        for name in names:
            field = type(self).model_fields[name]
            value = getattr(self, name)
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not raw:
                missing.append(f"{field.alias} is not set")
        if missing:
            raise ConfigError("\n".join(missing))


def load_settings(*required: str, **overrides: object) -> Settings:
    """Build settings once, checked as a whole: every malformed value and every `required`
    setting (field names) left empty becomes a line of one ConfigError naming it."""
    try:
        settings = Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        lines, bad = [], set()
        for err in exc.errors():
            name = str(err["loc"][0]) if err["loc"] else "settings"
            bad.add(name)
            lines.append(f"{_alias(name)}: {str(err['msg']).removeprefix('Value error, ')}")
        given = _given(overrides)
        lines += [
            f"{_alias(name)} is not set"
            for name in required
            if name not in bad and not (given.get(_alias(name)) or overrides.get(name))
        ]
        raise ConfigError("\n".join(lines)) from None
    settings.require(*required)
    return settings


def provided(alias: str) -> bool:
    """Whether the environment or `.env` sets `alias` to something (before validation)."""
    return bool(_given({}).get(alias))


def _alias(name: str) -> str:
    field = Settings.model_fields.get(name)
    return field.alias if field is not None and field.alias else name


def _given(overrides: dict[str, object]) -> dict[str, object]:
    """What the environment and `.env` hold, for naming what is missing when the settings
    could not be built at all."""
    values: dict[str, object] = {}
    env_file = overrides.get("_env_file", ".env")
    if isinstance(env_file, str | Path) and Path(env_file).is_file():
        values |= dotenv_values(env_file)
    return values | dict(os.environ) | overrides
