"""The weekly digest's schedule, with a sender that records or fails."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.clock import Clock
from core.reports import Report, WeeklyDigest
from storage import Storage

MSK = ZoneInfo("Europe/Moscow")
MONDAY = datetime(2025, 3, 10, 9, 0, tzinfo=MSK)


class Sender:
    def __init__(self, failures: int = 0, error: Exception | None = None) -> None:
        self.sent: list[tuple[int, Report]] = []
        self.failures = failures
        self.error = error
        self.called = asyncio.Event()

    async def send_digest(self, user_id: int, report: Report) -> bool:
        self.called.set()
        if self.failures:
            self.failures -= 1
            if self.error is not None:
                raise self.error
            return False
        self.sent.append((user_id, report))
        return True


async def digest_for(store: Storage, sender: Sender, now: datetime) -> WeeklyDigest:
    await store.users.ensure_admins([1, 2])
    await store.digests.set_enabled(1, True, done_week=None)
    return WeeklyDigest(store=store, sender=sender, clock=Clock(lambda: now), tz=MSK)


async def test_the_digest_covers_last_week_and_goes_to_who_asked(store: Storage):
    sender = Sender()
    digest = await digest_for(store, sender, MONDAY)
    assert await digest.tick() == 1
    [(user_id, report)] = sender.sent
    assert user_id == 1
    assert (report.period.first_day.isoformat(), report.period.last_day.isoformat()) == (
        "2025-03-03",
        "2025-03-09",
    )
    assert await digest.tick() == 0


async def test_before_nine_on_monday_nothing_is_sent(store: Storage):
    sender = Sender()
    digest = await digest_for(store, sender, MONDAY - timedelta(minutes=1))
    assert await digest.tick() == 0 and sender.sent == []


async def test_a_failed_or_raising_sender_gets_the_week_back(store: Storage):
    sender = Sender(failures=2, error=RuntimeError("boom"))
    digest = await digest_for(store, sender, MONDAY)
    assert await digest.tick() == 0
    assert await digest.tick() == 0
    assert await digest.tick() == 1


async def test_the_task_looks_by_itself_and_stops(store: Storage):
    sender = Sender()
    digest = await digest_for(store, sender, MONDAY)
    digest.check_every = 0.05
    digest.start()
    async with asyncio.timeout(5):
        await sender.called.wait()
    await digest.stop()
    await digest.stop()
    assert [user_id for user_id, _ in sender.sent] == [1]
