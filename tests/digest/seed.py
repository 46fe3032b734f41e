"""A hand-made week of reports around 2026-W48 (Mon 23 – Sun 29 November 2026, Tokyo)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlmodel.ext.asyncio.session import AsyncSession

from storage.models import FollowUp, Report

TOKYO = ZoneInfo("Asia/Tokyo")


def jst(month: int, day: int, hour: int = 0, minute: int = 0) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=TOKYO).astimezone(UTC)


def report(seq: int, created: datetime, **kw: Any) -> Report:
    values: dict[str, Any] = {
        "case_number": f"KH-2026-{seq:04d}",
        "year": 2026,
        "seq": seq,
        "reporter_id": "USTAFF01",
        "occurred_at": created - timedelta(minutes=30),
        "created_at": created,
        "contact_channel": "phone",
        "description_length": 42,
    }
    return Report(**(values | kw))


def week48_reports() -> dict[str, Report]:
    """A, I: last week; B–F, J: this week (B at Mon 00:00, E at Sun 23:59); G: next week."""
    m = timedelta(minutes=1)
    return {
        "A": report(
            1,
            jst(11, 22, 23, 59),
            behaviours="1",
            urgent=True,
            acknowledged_at=jst(11, 22, 23, 59) + 6 * m,
        ),
        "B": report(
            2, jst(11, 23), behaviours="1,4", urgent=True, acknowledged_at=jst(11, 23) + 10 * m
        ),
        "C": report(
            3,
            jst(11, 24, 10),
            behaviours="13",
            contact_channel="counter",
            acknowledged_at=jst(11, 24, 10) + 30 * m,
            resolved_at=jst(11, 25, 10),
            status="resolved",
        ),
        "D": report(
            4,
            jst(11, 25, 12),
            suggested_behaviours="5,11",
            contact_channel="email",
            acknowledged_at=jst(11, 25, 14),
            escalated_at=jst(11, 25, 15),
        ),
        "E": report(5, jst(11, 29, 23, 59), behaviours="11,1", contact_channel="web"),
        "F": report(6, jst(11, 26, 9), acknowledged_at=jst(11, 26, 9) + 20 * m),
        "J": report(7, jst(11, 27, 20), behaviours="2", contact_channel="counter", urgent=True),
        "G": report(8, jst(11, 30), behaviours="3", escalated_at=jst(11, 30, 0, 30)),
        "H": report(9, jst(11, 10, 10), acknowledged_at=jst(11, 10, 11), escalated_at=jst(11, 12)),
        "I": report(
            10,
            jst(11, 16, 9),
            acknowledged_at=jst(11, 23, 8),
            resolved_at=jst(11, 24),
            status="resolved",
        ),
    }


async def seed_week48(session: AsyncSession) -> dict[str, Report]:
    reports = week48_reports()
    session.add_all(reports.values())
    await session.flush()

    def checkin(key: str, response: str, at: datetime, kind: str = "checkin") -> FollowUp:
        case_id = reports[key].id
        assert case_id is not None
        return FollowUp(
            case_id=case_id, kind=kind, due_at=at, status="sent", response=response, responded_at=at
        )

    session.add_all(
        [
            checkin("B", "help", jst(11, 24, 10)),
            checkin("C", "ok", jst(11, 25)),
            checkin("H", "help", jst(11, 22, 23)),
            checkin("D", "help", jst(11, 26), kind="reminder"),
        ]
    )
    return reports
