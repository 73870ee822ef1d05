"""What the reports keep: the balance an hour at a time, the digest's weeks, and the
dispatches sent within a period."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest

from storage import Role, Storage
from storage.balance_history import KEEP
from tests.support.storage import ManualClock

T0 = datetime(2025, 3, 3, 9, 5, tzinfo=UTC)


async def test_the_first_reading_is_kept_and_an_unchanged_one_writes_nothing(storage: Storage):
    history = storage.balance_history
    assert await history.first_hour() is None
    assert await history.record(Decimal("100.00"), T0)
    assert not await history.record(Decimal("100"), T0 + timedelta(minutes=1))
    assert not await history.record(Decimal("100.00"), T0 + timedelta(hours=5))
    assert await history.count() == 1
    assert await history.first_hour() == datetime(2025, 3, 3, 9, tzinfo=UTC)


async def test_falls_are_spent_and_rises_credited_within_one_hour(storage: Storage):
    history = storage.balance_history
    await history.record(Decimal("100"), T0)
    await history.record(Decimal("90"), T0 + timedelta(minutes=1))  # spent 10
    await history.record(Decimal("150"), T0 + timedelta(minutes=2))  # paid 60
    await history.record(Decimal("145.5"), T0 + timedelta(minutes=3))  # spent 4.5
    [hour] = await history.between(T0 - timedelta(hours=1), T0 + timedelta(hours=1))
    assert (hour.opening, hour.closing) == (Decimal("100"), Decimal("145.5"))
    assert (hour.spent, hour.credited) == (Decimal("14.5"), Decimal("60"))


async def test_a_new_hour_opens_where_the_last_one_closed(storage: Storage):
    history = storage.balance_history
    await history.record(Decimal("100"), T0)
    await history.record(Decimal("80"), T0 + timedelta(hours=3))
    hours = await history.between(T0 - timedelta(hours=1), T0 + timedelta(days=1))
    assert [(h.hour.hour, h.opening, h.closing, h.spent) for h in hours] == [
        (9, Decimal("100"), Decimal("100"), Decimal("0")),
        (12, Decimal("100"), Decimal("80"), Decimal("20")),
    ]
    before = await history.last_before(T0 + timedelta(hours=2))
    assert before is not None and before.closing == Decimal("100")
    assert await history.last_before(T0 - timedelta(hours=1)) is None


async def test_a_clock_gone_back_writes_into_the_newest_hour(storage: Storage):
    history = storage.balance_history
    await history.record(Decimal("100"), T0)
    await history.record(Decimal("70"), T0 - timedelta(hours=2))
    assert await history.count() == 1
    [hour] = await history.between(T0 - timedelta(days=1), T0 + timedelta(days=1))
    assert (hour.hour, hour.closing, hour.spent) == (
        datetime(2025, 3, 3, 9, tzinfo=UTC),
        Decimal("70"),
        Decimal("30"),
    )


async def test_hours_older_than_kept_are_removed_when_a_new_hour_comes(storage: Storage):
    history = storage.balance_history
    await history.record(Decimal("100"), T0)
    await history.record(Decimal("99"), T0 + timedelta(hours=1))
    await history.record(Decimal("98"), T0 + KEEP + timedelta(hours=1, minutes=1))
    hours = await history.between(T0 - timedelta(days=1), T0 + KEEP + timedelta(days=1))
    assert [h.closing for h in hours] == [Decimal("99"), Decimal("98")]


async def test_a_reading_that_is_not_an_amount_is_refused(storage: Storage):
    with pytest.raises(ValueError, match="finite"):
        await storage.balance_history.record(Decimal("NaN"), T0)
    assert await storage.balance_history.count() == 0


async def test_a_week_is_claimed_once_and_given_back_when_not_delivered(storage: Storage):
    await storage.users.ensure_admins([1])
    digests = storage.digests
    assert await digests.claim(1, "2025-W10") is None  # never switched on
    await digests.set_enabled(1, True, done_week=None)
    assert await digests.is_enabled(1)
    assert await digests.waiting("2025-W10") == [1]

    claim = await digests.claim(1, "2025-W10")
    assert claim is not None and claim.previous is None
    assert await digests.claim(1, "2025-W10") is None
    assert await digests.waiting("2025-W10") == []

    await digests.release(claim)
    again = await digests.claim(1, "2025-W10")
    assert again is not None
    assert await digests.claim(1, "2025-W09") is None  # an older week never comes late
    assert await digests.claim(1, "2025-W11") is not None


async def test_switching_on_after_the_time_skips_that_week_and_off_stops_it(storage: Storage):
    await storage.users.ensure_admins([1])
    digests = storage.digests
    await digests.set_enabled(1, True, done_week="2025-W10")
    assert await digests.claim(1, "2025-W10") is None
    assert await digests.waiting("2025-W11") == [1]
    await digests.set_enabled(1, False, done_week=None)
    assert not await digests.is_enabled(1)
    assert await digests.waiting("2025-W11") == []
    assert await digests.claim(1, "2025-W11") is None
    # On again: the week already given is kept, an older done_week does not move it back.
    await digests.set_enabled(1, True, done_week="2025-W09")
    assert await digests.claim(1, "2025-W10") is None


async def test_only_reachable_admins_wait_for_a_digest(storage: Storage):
    await storage.users.ensure_admins([1, 2])
    await storage.users.upsert_seen(3, "Max", None, "ru")
    await storage.users.set_role(3, Role.MANAGER)
    for user_id in (1, 2, 3):
        await storage.digests.set_enabled(user_id, True, done_week=None)
    await storage.users.set_active(2, False)
    assert await storage.digests.waiting("2025-W10") == [1]


async def test_dispatches_between_by_send_time_or_when_followed(
    storage: Storage, clock: ManualClock
):
    await storage.users.upsert_seen(7, "Ольга", "olga", "ru")
    clock.current = datetime(2025, 3, 1, 8, tzinfo=UTC)
    await storage.dispatches.track(1, 7, "Клиенты", "Привет", None)  # sent at 08:00
    await storage.dispatches.track(2, None, "1 номер", "Later", datetime(2025, 3, 5, tzinfo=UTC))
    clock.current = datetime(2025, 3, 2, 8, tzinfo=UTC)
    await storage.dispatches.track(3, 99, "2 номера", "Tomorrow", None)  # creator unknown
    await storage.dispatches.record_observation(1, "CLOSED", 9, 8, 10, True, None)

    found = await storage.reports.dispatches_between(
        datetime(2025, 3, 1, tzinfo=UTC), datetime(2025, 3, 3, tzinfo=UTC)
    )
    assert [d.dispatch_id for d in found] == [1, 3]
    first = found[0]
    assert (first.creator_name, first.status, first.parts, first.sent, first.delivered) == (
        "Ольга",
        "CLOSED",
        10,
        9,
        8,
    )
    assert first.sent_at == datetime(2025, 3, 1, 8, tzinfo=UTC)
    assert found[1].creator_name is None and found[1].status is None
    later = await storage.reports.dispatches_between(
        datetime(2025, 3, 5, tzinfo=UTC), datetime(2025, 3, 6, tzinfo=UTC)
    )
    assert [d.dispatch_id for d in later] == [2]


async def test_the_latest_read_of_a_dispatch_is_what_a_report_counts(storage: Storage):
    from storage import KnownState

    sent_at = datetime(2025, 3, 1, 8, tzinfo=UTC)
    await storage.dispatches.track(1, 7, "Клиенты", "Привет", sent_at)
    await storage.dispatches.record_observation(1, "DELIVERING", 9, 2, 10, False, None)
    await storage.dispatches.note_seen(
        1, KnownState("CLOSED", 10, 10, 9), sent_at, datetime(2025, 3, 1, 9, tzinfo=UTC)
    )
    [found] = await storage.reports.dispatches_between(sent_at, sent_at + timedelta(days=1))
    assert (found.status, found.parts, found.sent, found.delivered) == ("CLOSED", 10, 10, 9)
