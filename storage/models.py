"""SQLModel tables. Times are stored as UTC; free text of reports is stored encrypted."""

from __future__ import annotations

from datetime import datetime
from enum import StrEnum

from sqlalchemy import Column, Index, Text, UniqueConstraint
from sqlmodel import Field, SQLModel

from storage.types import UTCDateTime


def _utc_column(nullable: bool = True, index: bool = False) -> Column[datetime]:
    return Column(UTCDateTime(), nullable=nullable, index=index)


class CaseStatus(StrEnum):
    NEW = "new"
    ACKNOWLEDGED = "acknowledged"
    IN_PROGRESS = "in_progress"
    RESOLVED = "resolved"


class CaseCounter(SQLModel, table=True):
    """One row a year; incremented in the submitting transaction so numbers never collide."""

    __tablename__ = "case_counter"
    year: int = Field(primary_key=True)
    last_seq: int = 0


class Report(SQLModel, table=True):
    __tablename__ = "report"
    __table_args__ = (
        UniqueConstraint("year", "seq", name="uq_report_year_seq"),
        UniqueConstraint("view_id", name="uq_report_view_id"),
        # The digest counts events by when they happened and open cases at a moment.
        Index("ix_report_acknowledged_at", "acknowledged_at"),
        Index("ix_report_escalated_at", "escalated_at"),
        Index("ix_report_resolved_created", "resolved_at", "created_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_number: str = Field(max_length=20, unique=True, index=True)
    year: int
    seq: int
    team_id: str = Field(default="", max_length=32)
    reporter_id: str = Field(max_length=32, index=True)
    occurred_at: datetime = Field(sa_column=_utc_column(nullable=False))
    created_at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))
    contact_channel: str = Field(max_length=16)
    behaviours: str = Field(default="", max_length=64)
    suggested_behaviours: str = Field(default="", max_length=64)
    urgent: bool = False
    support: str = Field(default="none", max_length=16)
    description_enc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    customer_enc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    source_permalink_enc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    # The customer key as typed (encrypted, for supervisors to read) and its canonical form's
    # keyed hash (bot/privacy/customer_key.py), which links reports about the same customer.
    customer_key_enc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    customer_key_hash: str | None = Field(default=None, max_length=64, index=True)
    description_length: int = 0
    status: str = Field(default=CaseStatus.NEW, max_length=16, index=True)
    acknowledged_at: datetime | None = Field(default=None, sa_column=_utc_column())
    acknowledged_by: str | None = Field(default=None, max_length=32)
    owner_id: str | None = Field(default=None, max_length=32)
    owned_at: datetime | None = Field(default=None, sa_column=_utc_column())
    escalated_at: datetime | None = Field(default=None, sa_column=_utc_column())
    escalated_by: str | None = Field(default=None, max_length=32)
    resolved_at: datetime | None = Field(default=None, sa_column=_utc_column())
    resolved_by: str | None = Field(default=None, max_length=32)
    outcome_enc: str | None = Field(default=None, sa_column=Column(Text, nullable=True))
    alert_channel: str | None = Field(default=None, max_length=32)
    alert_ts: str | None = Field(default=None, max_length=32)
    reminder_after_s: int = 900
    escalate_after_s: int = 3600
    snoozed_until: datetime | None = Field(default=None, sa_column=_utc_column())
    purged_at: datetime | None = Field(default=None, sa_column=_utc_column())
    # The modal's view id: the same view submitted again (its ack lost) is the same case.
    view_id: str | None = Field(default=None, max_length=64)
    # Who was told the alert had not reached the supervisors ("r" reporter, "e" escalation
    # contacts): they are told again when it finally is posted.
    alert_delay_notice: str = Field(default="", max_length=8)


class AuditEvent(SQLModel, table=True):
    """Who did what to which case, and who was refused. Never holds report text."""

    __tablename__ = "audit_event"
    id: int | None = Field(default=None, primary_key=True)
    at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))
    case_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    actor_id: str = Field(max_length=32)
    action: str = Field(max_length=48)
    detail: str = Field(default="", sa_column=Column(Text, nullable=False, default=""))


class OutboxStatus(StrEnum):
    PENDING = "pending"
    SENDING = "sending"
    SENT = "sent"
    FAILED = "failed"
    CANCELLED = "cancelled"


class OutboxMessage(SQLModel, table=True):
    """A message to Slack, written with the change that causes it and delivered after commit."""

    __tablename__ = "outbox"
    __table_args__ = (Index("ix_outbox_due", "status", "next_attempt_at"),)

    id: int | None = Field(default=None, primary_key=True)
    created_at: datetime = Field(sa_column=_utc_column(nullable=False))
    case_id: int | None = Field(default=None, foreign_key="report.id", index=True)
    kind: str = Field(max_length=24)
    channel: str = Field(default="", max_length=32)
    payload: str = Field(default="{}", sa_column=Column(Text, nullable=False, default="{}"))
    coalesce_key: str | None = Field(default=None, max_length=64, index=True)
    status: str = Field(default=OutboxStatus.PENDING, max_length=16)
    attempts: int = 0
    next_attempt_at: datetime = Field(sa_column=_utc_column(nullable=False))
    claimed_until: datetime | None = Field(default=None, sa_column=_utc_column())
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column())
    result_ts: str | None = Field(default=None, max_length=32)
    last_error: str | None = Field(default=None, max_length=200)


class FollowUp(SQLModel, table=True):
    """A durable reminder, escalation or check-in with its due time."""

    __tablename__ = "followup"
    __table_args__ = (
        Index("ix_followup_due", "status", "due_at"),
        Index("ix_followup_responded_at", "responded_at"),
    )

    id: int | None = Field(default=None, primary_key=True)
    case_id: int = Field(foreign_key="report.id", index=True)
    kind: str = Field(max_length=24)
    due_at: datetime = Field(sa_column=_utc_column(nullable=False))
    status: str = Field(default="pending", max_length=16)
    claimed_by: str | None = Field(default=None, max_length=64)
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column())
    response: str | None = Field(default=None, max_length=16)
    responded_at: datetime | None = Field(default=None, sa_column=_utc_column())


class ProcessedRequest(SQLModel, table=True):
    """Keys of Slack deliveries already handled, so retries and double clicks act once."""

    __tablename__ = "processed_request"
    key: str = Field(primary_key=True, max_length=128)
    at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))


class DigestRun(SQLModel, table=True):
    """One row per ISO week: claimed before sending, so several instances send one digest."""

    __tablename__ = "digest_run"
    week: str = Field(primary_key=True, max_length=10)
    claimed_at: datetime = Field(sa_column=_utc_column(nullable=False))
    claimed_by: str = Field(max_length=64)
    sent_at: datetime | None = Field(default=None, sa_column=_utc_column())


class HomeVisit(SQLModel, table=True):
    """When a person last opened the app's Home, so case changes refresh only recent Homes,
    and which page of the supervisors' queue they are reading."""

    __tablename__ = "home_visit"
    user_id: str = Field(primary_key=True, max_length=32)
    opened_at: datetime = Field(sa_column=_utc_column(nullable=False, index=True))
    supervisor: bool = False
    page: int = 0
