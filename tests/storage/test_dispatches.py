"""Tracked dispatches and their subscriptions."""

from __future__ import annotations

import asyncio
import sqlite3
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from storage import KnownState, Storage
from tests.support.storage import START, ManualClock

SEND_AT = datetime(2025, 3, 1, 12, 0, tzinfo=UTC)


async def _track(storage: Storage, dispatch_id: int, creator_id: int | None = 7) -> None:
    await storage.dispatches.track(dispatch_id, creator_id, "Clients (12)", "Hello", SEND_AT)


async def test_track_inserts_once(storage: Storage, clock: ManualClock) -> None:
    tracked, added = await storage.dispatches.track(501, 7, "Clients (12)", "Hello", SEND_AT)
    assert added
    assert (tracked.dispatch_id, tracked.creator_id, tracked.recipients_desc, tracked.text) == (
        501,
        7,
        "Clients (12)",
        "Hello",
    )
    assert tracked.date_send == SEND_AT
    assert tracked.last_status is None and not tracked.is_final
    assert (tracked.messages_count, tracked.messages_sent, tracked.messages_delivered) == (0, 0, 0)
    assert tracked.next_check_at is None and tracked.created_at == START

    clock.advance(minutes=1)
    again, added_again = await storage.dispatches.track(501, 9, "other", "other", None)
    assert not added_again and again == tracked
    assert await storage.dispatches.get(501) == tracked
    assert await storage.dispatches.get(502) is None


async def test_recent_is_newest_first_with_paging_and_counts(storage: Storage) -> None:
    for dispatch_id in (10, 30, 20):
        await _track(storage, dispatch_id, creator_id=7)
    await _track(storage, 40, creator_id=8)
    await _track(storage, 50, creator_id=None)  # made in the web interface
    await storage.subscriptions.subscribe(50, 7)  # ... and followed by user 7

    assert [d.dispatch_id for d in await storage.dispatches.recent(3)] == [50, 40, 30]
    assert [d.dispatch_id for d in await storage.dispatches.recent(3, offset=3)] == [20, 10]
    assert await storage.dispatches.count() == 5

    mine = await storage.dispatches.recent_for_user(7, limit=2)
    assert [d.dispatch_id for d in mine] == [50, 30]
    more = await storage.dispatches.recent_for_user(7, limit=2, offset=2)
    assert [d.dispatch_id for d in more] == [20, 10]
    assert await storage.dispatches.count_for_user(7) == 4
    assert await storage.dispatches.count_for_user(8) == 1
    assert await storage.dispatches.count_for_user(9) == 0


async def test_due_for_poll(storage: Storage, clock: ManualClock) -> None:
    now = clock()
    for dispatch_id in (1, 2, 3, 4, 5):
        await _track(storage, dispatch_id)
    await storage.dispatches.record_observation(
        1, "ACTIVE", 1, 0, 3, False, now - timedelta(seconds=1)
    )
    await storage.dispatches.record_observation(2, "ACTIVE", 1, 0, 3, False, now)
    await storage.dispatches.record_observation(
        3, "IN_QUEUE", 0, 0, 3, False, now + timedelta(seconds=1)
    )
    await storage.dispatches.record_observation(4, "CLOSED", 3, 3, 3, True, None)
    # 5 was never checked: next_check_at is NULL, so it comes first.

    due = await storage.dispatches.due_for_poll(now, limit=10)
    assert [d.dispatch_id for d in due] == [5, 1, 2]
    assert [d.dispatch_id for d in await storage.dispatches.due_for_poll(now, limit=2)] == [5, 1]
    later = await storage.dispatches.due_for_poll(now + timedelta(seconds=1), limit=10)
    assert [d.dispatch_id for d in later] == [5, 1, 2, 3]


async def test_due_for_poll_compares_moments_not_zone_spelling(storage: Storage) -> None:
    await _track(storage, 1)
    moscow = datetime(2025, 3, 1, 18, 0, tzinfo=ZoneInfo("Europe/Moscow"))
    await storage.dispatches.record_observation(1, "ACTIVE", 0, 0, 1, False, moscow)
    assert await storage.dispatches.due_for_poll(datetime(2025, 3, 1, 14, 59, tzinfo=UTC), 5) == []
    due = await storage.dispatches.due_for_poll(datetime(2025, 3, 1, 15, 0, tzinfo=UTC), 5)
    assert [d.dispatch_id for d in due] == [1]


async def test_record_observation_returns_what_was_there_before(
    storage: Storage, clock: ManualClock
) -> None:
    await _track(storage, 501)
    next_check = clock() + timedelta(minutes=1)

    before = await storage.dispatches.record_observation(
        501, "IN_QUEUE", 0, 0, 12, False, next_check
    )
    assert before is not None and before.last_status is None

    clock.advance(minutes=1)
    before = await storage.dispatches.record_observation(501, "ACTIVE", 5, 2, 12, False, None)
    assert before is not None
    assert (before.last_status, before.messages_count, before.next_check_at) == (
        "IN_QUEUE",
        12,
        next_check,
    )

    now = await storage.dispatches.get(501)
    assert now is not None
    assert (now.last_status, now.messages_sent, now.messages_delivered, now.messages_count) == (
        "ACTIVE",
        5,
        2,
        12,
    )
    assert now.updated_at == clock() and now.created_at == START
    assert await storage.dispatches.record_observation(999, "ACTIVE", 0, 0, 0, False, None) is None


async def test_concurrent_observations_each_see_a_different_previous(storage: Storage) -> None:
    """Two pollers must never both see the same change: previous states form a chain."""
    await _track(storage, 501)
    statuses = [f"S{i}" for i in range(20)]
    previous = await asyncio.gather(
        *(storage.dispatches.record_observation(501, s, 0, 0, 1, False, None) for s in statuses)
    )
    seen = [p.last_status for p in previous if p is not None]
    assert seen.count(None) == 1
    assert len(set(seen)) == len(seen)  # no previous state handed out twice


async def test_a_final_dispatch_is_no_longer_due(storage: Storage, clock: ManualClock) -> None:
    await _track(storage, 1)
    await storage.dispatches.record_observation(1, "CANCELED", 0, 0, 1, True, None)
    assert await storage.dispatches.due_for_poll(clock() + timedelta(days=1), 10) == []
    tracked = await storage.dispatches.get(1)
    assert tracked is not None and tracked.is_final


async def test_postpone_moves_the_next_check(storage: Storage, clock: ManualClock) -> None:
    await _track(storage, 1)
    assert await storage.dispatches.postpone(1, clock() + timedelta(minutes=5))
    assert await storage.dispatches.due_for_poll(clock(), 10) == []
    assert not await storage.dispatches.postpone(2, clock())


async def test_subscriptions(storage: Storage, clock: ManualClock) -> None:
    await _track(storage, 501)
    assert await storage.subscriptions.subscribe(501, 7)
    assert not await storage.subscriptions.subscribe(501, 7)
    clock.advance(seconds=1)
    assert await storage.subscriptions.subscribe(501, 8)

    assert await storage.subscriptions.is_subscribed(501, 7)
    assert not await storage.subscriptions.is_subscribed(501, 9)
    subscribers = await storage.subscriptions.subscribers(501)
    assert [(s.user_id, s.message_id, s.rendered_key) for s in subscribers] == [
        (7, None, None),
        (8, None, None),
    ]

    assert await storage.subscriptions.set_message(501, 7, 9001, "ACTIVE:5/2/12")
    assert not await storage.subscriptions.set_message(501, 9, 9002, "x")
    first = (await storage.subscriptions.subscribers(501))[0]
    assert (first.message_id, first.rendered_key) == (9001, "ACTIVE:5/2/12")
    assert [s.dispatch_id for s in await storage.subscriptions.for_user(7)] == [501]

    assert await storage.subscriptions.unsubscribe(501, 7)
    assert not await storage.subscriptions.unsubscribe(501, 7)
    assert [s.user_id for s in await storage.subscriptions.subscribers(501)] == [8]


async def test_subscribing_needs_a_tracked_dispatch(storage: Storage) -> None:
    with pytest.raises(sqlite3.IntegrityError):
        await storage.subscriptions.subscribe(404, 7)


async def test_a_reading_is_shown_in_lists_and_an_older_one_does_not_replace_it(
    storage: Storage, clock: ManualClock
) -> None:
    await _track(storage, 501)
    await storage.dispatches.record_observation(
        501, "IN_QUEUE", 0, 0, 12, False, clock() + timedelta(hours=1)
    )
    read_at = clock.advance(minutes=1)
    closed = KnownState("CLOSED", 12, 12, 11)
    assert await storage.dispatches.note_seen(501, closed, SEND_AT, read_at)
    late = KnownState("ACTIVE", 12, 5, 2)  # a slow read that began before
    assert not await storage.dispatches.note_seen(501, late, SEND_AT, read_at - timedelta(1))
    tracked = await storage.dispatches.get(501)
    assert tracked is not None
    assert tracked.shown == closed and tracked.last_status == "IN_QUEUE"  # the poller's own
    assert tracked.next_check_at is None  # news to the poller: due at its next cycle
    assert await storage.dispatches.note_seen(999, closed, SEND_AT, read_at) is False


async def test_a_reading_with_nothing_new_leaves_the_next_check_alone(
    storage: Storage, clock: ManualClock
) -> None:
    await _track(storage, 501)
    later = clock() + timedelta(hours=1)
    await storage.dispatches.record_observation(
        501, "IN_QUEUE", 0, 0, 12, False, later, date_send=SEND_AT
    )
    same = KnownState("IN_QUEUE", 12, 0, 0)
    assert await storage.dispatches.note_seen(501, same, SEND_AT, clock())
    tracked = await storage.dispatches.get(501)
    assert tracked is not None and tracked.next_check_at == later
    # The same status at a new send time (run earlier elsewhere) is news.
    assert await storage.dispatches.note_seen(501, same, SEND_AT - timedelta(days=1), clock())
    moved = await storage.dispatches.get(501)
    assert moved is not None and moved.next_check_at is None
    assert moved.date_send == SEND_AT - timedelta(days=1)
