"""Figures of a seeded week against hand-counted expectations, on SQLite and PostgreSQL."""

from __future__ import annotations

from bot.digest.figures import DigestFigures, behaviour_count, compute_figures
from bot.digest.weeks import week_span
from bot.policy.document import load_policy
from storage.db import Sessions
from tests.digest.seed import TOKYO, jst, seed_week48

W48 = week_span("2026-W48", TOKYO)
BEHAVIOURS = behaviour_count(load_policy(None))
LATER = jst(12, 20)


async def _figures(sessions: Sessions, week: str = "2026-W48", now=LATER) -> DigestFigures:
    async with sessions() as session:
        return await compute_figures(
            session, week_span(week, TOKYO), zone=TOKYO, now=now, behaviours=BEHAVIOURS
        )


async def _seeded(sessions: Sessions) -> None:
    async with sessions.begin() as session:
        await seed_week48(session)


async def test_week_bounds_are_monday_midnight_in_tokyo() -> None:
    assert W48.start == jst(11, 23) and W48.end == jst(11, 30)
    assert W48.start.isoformat() == "2026-11-22T15:00:00+00:00"


async def test_counts_of_the_week(sessions: Sessions) -> None:
    await _seeded(sessions)
    f = await _figures(sessions)
    # A (Sun 23:59) is last week's, E (Sun 23:59) this week's, G (Mon 00:00) next week's.
    assert (f.total, f.previous, f.urgent, f.unclassified) == (6, 2, 2, 1)
    assert f.chosen == (2, 1, 0, 1, 0, 0, 0, 0, 0, 0, 1, 0, 1)  # "13" never counts as ①
    assert f.suggested == (0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 1, 0, 0)
    assert f.by_channel == {"counter": 2, "phone": 2, "email": 1, "visit": 0, "web": 1, "other": 0}
    assert [p.count for p in f.trend] == [0, 0, 0, 0, 0, 1, 2, 6]
    assert [p.week for p in f.trend][-3:] == ["2026-W46", "2026-W47", "2026-W48"]


async def test_acknowledgement_times(sessions: Sessions) -> None:
    await _seeded(sessions)
    f = await _figures(sessions)
    # Acknowledged this week: A 6分, B 10分, F 20分, C 30分, D 2時間, I 167時間.
    assert f.ack_count == 6
    assert f.ack_median_seconds == 25 * 60
    assert f.ack_slowest_seconds == 167 * 3600


async def test_open_cases_escalations_and_checkins(sessions: Sessions) -> None:
    await _seeded(sessions)
    f = await _figures(sessions)
    assert f.complete and f.as_of == W48.end
    # At Monday 00:00: E <1日, J 1–3日, D F 3–7日, A B H 7日以上 (B exactly 7 days).
    assert f.open_by_age == (1, 1, 2, 3)
    assert f.open_unacknowledged == 2
    assert (f.escalations, f.help_checkins) == (1, 1)


async def test_week_in_progress_is_counted_as_of_now(sessions: Sessions) -> None:
    await _seeded(sessions)
    f = await _figures(sessions, now=jst(11, 25, 13))
    assert not f.complete and f.as_of == jst(11, 25, 13)
    assert f.open_by_age == (1, 2, 0, 1)  # D; A B; H — C and I were resolved by then
    assert f.open_unacknowledged == 1


async def test_next_week_sees_the_monday_midnight_report(sessions: Sessions) -> None:
    await _seeded(sessions)
    f = await _figures(sessions, week="2026-W49")
    assert (f.total, f.previous, f.escalations) == (1, 6, 1)
    assert f.chosen[2] == 1 and f.ack_count == 0 and f.ack_median_seconds is None


async def test_empty_database(sessions: Sessions) -> None:
    f = await _figures(sessions)
    assert (f.total, f.previous, f.urgent, f.unclassified) == (0, 0, 0, 0)
    assert f.chosen == f.suggested == (0,) * 13
    assert set(f.by_channel.values()) == {0}
    assert (f.ack_count, f.ack_median_seconds, f.ack_slowest_seconds) == (0, None, None)
    assert f.open_by_age == (0, 0, 0, 0) and f.open_unacknowledged == 0
    assert [p.count for p in f.trend] == [0] * 8
