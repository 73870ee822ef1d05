"""Schedules and occurrences in SQLite: each saved once per set-up, each occurrence's key
written once and only for the schedule's current version, moved past once."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, timedelta

import pytest

from storage import OccurrenceState, Schedule, ScheduleRule, ScheduleState, Storage

DUE = datetime(2025, 3, 3, 6, 0, tzinfo=UTC)  # 09:00 in Moscow
RULE = ScheduleRule("daily", 9 * 60, starts_on=date(2025, 3, 1), ends_on=date(2025, 12, 31))


async def saved(storage: Storage, key: str = "k1", **extra: object) -> Schedule:
    schedule, added = await storage.recurring.create(
        key, 7, 7, text="Hello", rule=RULE, next_due=DUE, book_id=1, book_name="Clients",
        **extra,  # type: ignore[arg-type]
    )  # fmt: skip
    assert added
    return schedule


async def test_a_second_save_of_one_set_up_adds_nothing(storage: Storage) -> None:
    first = await saved(storage)
    again, added = await storage.recurring.create(
        "k1", 7, 7, text="Other", rule=RULE, next_due=DUE, phones=["380711112233"]
    )
    assert not added and again == first
    assert first.rule == RULE and first.state is ScheduleState.ACTIVE and first.version == 1
    assert await storage.recurring.count(7) == 1 and await storage.recurring.count(8) == 0


async def test_recipients_are_a_book_or_typed_numbers(storage: Storage) -> None:
    with pytest.raises(ValueError, match="either"):
        await storage.recurring.create("k2", 7, 7, text="x", rule=RULE, next_due=DUE)
    with pytest.raises(ValueError, match="either"):
        await storage.recurring.create(
            "k3", 7, 7, text="x", rule=RULE, next_due=DUE, book_id=1, phones=["380711112233"]
        )
    await saved(storage, "k4")
    with pytest.raises(sqlite3.IntegrityError):  # the table says so too
        await storage.db.execute("UPDATE recurring_schedules SET phones = '[\"1\"]'")


async def test_an_occurrence_key_is_written_once_and_only_for_the_current_version(
    storage: Storage,
) -> None:
    schedule = await saved(storage)
    first = await storage.drafts.create(7, 7, text="Hello", book_id=1, date_send=DUE)
    second = await storage.drafts.create(7, 7, text="Hello", book_id=1, date_send=DUE)
    assert await storage.recurring.plan(schedule, DUE, first.id)
    assert not await storage.recurring.plan(schedule, DUE, second.id)  # the key exists
    changed = await storage.recurring.change(schedule.id, [ScheduleState.ACTIVE], text="New")
    assert changed is not None and changed.version == 2
    assert not await storage.recurring.plan(schedule, DUE + timedelta(days=1), second.id)
    occurrence = await storage.recurring.occurrence(schedule.id, 1, DUE)
    assert occurrence is not None and occurrence.draft_id == first.id
    assert occurrence.state is OccurrenceState.PLANNED and not occurrence.created


async def test_moving_past_occurrences_reports_the_missed_ones_once(storage: Storage) -> None:
    schedule = await saved(storage)
    draft = await storage.drafts.create(7, 7, text="Hello", book_id=1, date_send=DUE)
    await storage.recurring.plan(schedule, DUE, draft.id)
    await storage.drafts.claim_for_sending(draft.id)
    await storage.drafts.mark_sent(draft.id, 501)
    tomorrow, after = DUE + timedelta(days=1), DUE + timedelta(days=2)
    missed = await storage.recurring.advance(schedule, [DUE, tomorrow], after)
    assert missed == [tomorrow]
    assert await storage.recurring.advance(schedule, [DUE, tomorrow], after) is None  # stale
    fired = await storage.recurring.occurrence(schedule.id, 1, DUE)
    assert fired is not None and fired.state is OccurrenceState.FIRED and fired.dispatch_id == 501
    current = await storage.recurring.get(schedule.id)
    assert current is not None and current.next_due == after


async def test_moving_past_the_last_one_ends_the_schedule(storage: Storage) -> None:
    schedule = await saved(storage)
    assert await storage.recurring.advance(schedule, [DUE], None) == [DUE]
    ended = await storage.recurring.get(schedule.id)
    assert ended is not None and ended.state is ScheduleState.ENDED and ended.next_due is None
    assert await storage.recurring.due(DUE + timedelta(days=400)) == []


async def test_changes_are_guarded_by_state_and_send_late_keeps_the_version(
    storage: Storage,
) -> None:
    schedule = await saved(storage)
    late = await storage.recurring.change(schedule.id, [ScheduleState.ACTIVE], send_late=True)
    assert late is not None and late.send_late and late.version == 1
    paused = await storage.recurring.change(
        schedule.id, [ScheduleState.ACTIVE], state=ScheduleState.PAUSED, next_due=None
    )
    assert paused is not None and paused.version == 2
    assert (
        await storage.recurring.change(
            schedule.id, [ScheduleState.ACTIVE], state=ScheduleState.PAUSED
        )
        is None
    )
    with pytest.raises(TypeError):
        await storage.recurring.change(schedule.id, [ScheduleState.PAUSED], owner_id=8)


async def test_the_keepers_query_finds_only_active_schedules_within_the_horizon(
    storage: Storage,
) -> None:
    near = await saved(storage, "a")
    far, _ = await storage.recurring.create(
        "b", 7, 7, text="x", rule=RULE, next_due=DUE + timedelta(days=5), book_id=1
    )
    paused = await saved(storage, "c")
    await storage.recurring.change(paused.id, [ScheduleState.ACTIVE], state=ScheduleState.PAUSED)
    assert [s.id for s in await storage.recurring.due(DUE + timedelta(days=1))] == [near.id]
    assert far.id not in [s.id for s in await storage.recurring.due(DUE)]
