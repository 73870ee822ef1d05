"""The admins' weekly digest: last week's report, on Monday at 09:00 in the API's zone.

A small task beside the poller looks once a minute whether this week's digest is due
(Monday 09:00 has passed) and who that asked for it has not been given it. Each person's
week is taken in SQLite before anything is sent (``storage/digests.py``), so a restart,
or a second look, never sends a week twice; a digest that did not reach its reader is
given back and tried at the next look. A bot that was stopped on Monday morning sends the
week's digest when it runs again that week. Who said it, and how, is the Telegram layer's
(a :class:`DigestSender`).
"""

from __future__ import annotations

import logging
from datetime import datetime, time
from typing import Protocol
from zoneinfo import ZoneInfo

from core.background import BackgroundTask
from core.clock import Clock
from core.reports.figures import Report, gather_report
from core.reports.periods import local_today, monday_of, previous_week, week_key
from storage import Storage

log = logging.getLogger(__name__)

DIGEST_TIME = time(9, 0)  # on Mondays, in the API's time zone
CHECK_EVERY_SECONDS = 60.0


class DigestSender(Protocol):
    async def send_digest(self, user_id: int, report: Report) -> bool:
        """Tell ``user_id`` the report; True once it reached them."""
        ...


def due_week(now: datetime, tz: ZoneInfo) -> str | None:
    """The week whose digest is due at ``now`` (its Monday 09:00 has passed), as
    ``2025-W07``; None on a Monday before 09:00."""
    monday = monday_of(local_today(now, tz))
    if now < datetime.combine(monday, DIGEST_TIME, tz):
        return None
    return week_key(monday)


class WeeklyDigest:
    def __init__(
        self,
        *,
        store: Storage,
        sender: DigestSender,
        clock: Clock,
        tz: ZoneInfo,
        check_every: float = CHECK_EVERY_SECONDS,
    ) -> None:
        self.store = store
        self.sender = sender
        self.clock = clock
        self.tz = tz
        self.check_every = check_every
        self._background = BackgroundTask("weekly digest")

    def start(self) -> None:
        self._background.start(self._run)

    async def stop(self) -> None:
        """End the task; a digest being sent gets a few seconds. Safe to call twice."""
        await self._background.stop()

    async def _run(self) -> None:
        while not self._background.stopping:
            try:
                await self.tick()
            except Exception:
                log.exception("Weekly digest check failed")
            await self._background.pause(self.check_every)

    async def tick(self) -> int:
        """Send this week's digest to whoever is due one; how many got it."""
        now = self.clock.now()
        week = due_week(now, self.tz)
        if week is None:
            return 0
        waiting = await self.store.digests.waiting(week)
        if not waiting:
            return 0
        report = await gather_report(self.store, previous_week(now, self.tz), now)
        delivered = 0
        for user_id in waiting:
            if self._background.stopping:
                break
            claim = await self.store.digests.claim(user_id, week)
            if claim is None:
                continue  # switched off meanwhile, or taken by another look
            try:
                reached = await self.sender.send_digest(user_id, report)
            except Exception:
                log.exception("Weekly digest for %s not sent", user_id)
                reached = False
            if reached:
                delivered += 1
            else:
                await self.store.digests.release(claim)
        return delivered


def done_week_on_enabling(now: datetime, tz: ZoneInfo) -> str | None:
    """Switched on after this week's digest time: the first digest is next Monday's."""
    return due_week(now, tz)
