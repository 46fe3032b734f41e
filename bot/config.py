"""The one settings object, read from the environment or `.env`."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from pydantic import Field, SecretStr, ValidationError, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

DEFAULT_DATABASE_URL = "sqlite+aiosqlite:///./kasuhara.db"


class ConfigError(Exception):
    """A setting is missing or malformed; the message is one line naming it."""


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
    policy_path: Path | None = Field(None, alias="KASUHARA_POLICY_PATH")
    timezone: str = Field("Asia/Tokyo", alias="KASUHARA_TIMEZONE")
    digest_cron: str = Field("0 9 * * mon", alias="KASUHARA_DIGEST_CRON")
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
    outbox_lease_seconds: int = Field(60, alias="KASUHARA_OUTBOX_LEASE_SECONDS", ge=1)
    scheduler_enabled: bool = Field(True, alias="KASUHARA_SCHEDULER")
    log_level: str = Field("INFO", alias="LOG_LEVEL")

    @field_validator("escalation_users", mode="before")
    @classmethod
    def _ids(cls, value: object) -> tuple[str, ...]:
        return _split_ids(value)

    @field_validator("checkin_days", mode="before")
    @classmethod
    def _days(cls, value: object) -> tuple[int, ...]:
        return tuple(int(v) for v in _split_ids(value))

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
        from bot.digest.cron import cron_trigger  # APScheduler is only needed when this is set

        cron_trigger(value, ZoneInfo("UTC"))
        return value

    @field_validator("supervisor_channel", "hr_channel")
    @classmethod
    def _channel(cls, value: str) -> str:
        if value and value[:1] not in {"C", "G"}:
            raise ValueError("a channel id such as C0123456789 is expected")
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
        """Stop start-up when a setting needed by a command is empty."""
        for name in names:
            field = type(self).model_fields[name]
            value = getattr(self, name)
            raw = value.get_secret_value() if isinstance(value, SecretStr) else value
            if not raw:
                raise ConfigError(f"{field.alias} is not set")


def load_settings(**overrides: object) -> Settings:
    """Build settings once; a bad value becomes a one-line ConfigError naming it."""
    try:
        return Settings(**overrides)  # type: ignore[arg-type]
    except ValidationError as exc:
        err = exc.errors()[0]
        name = str(err["loc"][0]) if err["loc"] else "settings"
        alias = Settings.model_fields[name].alias if name in Settings.model_fields else name
        raise ConfigError(f"{alias}: {err['msg']}") from None
