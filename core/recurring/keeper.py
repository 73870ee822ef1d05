"""The keeper: keeps exactly one occurrence of every active schedule created ahead at the
SMS API, so that the operator does the timing.

Each pass (every POLL_INTERVAL, a minute at most) it
- creates the next occurrence of every active schedule once it is within ``LEAD`` of its
  moment, with the API's ``dateSend`` set to that moment: a bot that is down at 09:00
  still sends at 09:00;
- moves past the occurrences whose moment came: the one after is created in turn. One
  whose moment came before it could be created (the bot was down longer than ``LEAD``,
  or the service did not answer all that time) is reported to the owner and not sent,
  unless the schedule says "send late": then the latest such one goes out at once;
- tries again the cancels that could not be done at once (``withdraw.py``).

Why a task of its own beside the poller rather than a step of the poller's cycle: the
poller only reads (its cost is counted in GETs per cycle, ``bench/poller_calls.py``) and
skips its cycle's work while the service is down; the keeper writes. Its creates are
POSTs that may take 25 s and are never retried blindly; they must neither wait behind
500 status reads nor hold them up, and a cancel the owner asked for must be tried again
on its own terms. Both share the clock, the store and the SMS client, and are started
and stopped together (``bot/app.py``).
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from core.background import BackgroundTask
from core.clock import Clock
from core.recurring.notifier import RecurringNotifier
from core.recurring.occurrences import Created, Failed, TryLater, create_occurrence
from core.recurring.rules import Rule, next_occurrence
from core.recurring.withdraw import StillTrying, TooLate, withdraw
from core.sms import SmsApiClient
from storage import Occurrence, OccurrenceState, Schedule, Storage

log = logging.getLogger(__name__)

# How long before its moment an occurrence is created at the API: the bot may be down
# this long around that moment without a miss.
LEAD = timedelta(hours=24)
LONGEST_PASS_INTERVAL = timedelta(minutes=1)
# After the service did not answer, a schedule's create waits this long for another try.
RETRY_AFTER = timedelta(minutes=1)
CANCELS_PER_PASS = 20

AUDIT_MISSED = "recurring.missed"
AUDIT_ENDED = "recurring.ended"


class RecurringKeeper:
    def __init__(
        self,
        *,
        store: Storage,
        sms: SmsApiClient,
        notifier: RecurringNotifier,
        clock: Clock,
        tz: ZoneInfo,
        interval: timedelta,
    ) -> None:
        self.store = store
        self.sms = sms
        self.notifier = notifier
        self.clock = clock
        self.tz = tz
        self.interval = min(interval, LONGEST_PASS_INTERVAL)
        self._retry_at: dict[int, datetime] = {}
        self._background = BackgroundTask("recurring keeper")
        self._pass_finished = asyncio.Condition()
        self.passes = 0

    # -- life cycle --------------------------------------------------------------

    def start(self) -> None:
        self._background.start(self._run)

    async def stop(self) -> None:
        """Let a create under way finish (it is never left half done by choice), then
        end; cancelled after a few seconds. Safe to call twice."""
        await self._background.stop()

    async def wait_for_passes(self, count: int = 1) -> None:
        """Return once ``count`` more passes have finished (for tests)."""
        target = self.passes + count
        async with self._pass_finished:
            await self._pass_finished.wait_for(lambda: self.passes >= target)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        while not self._background.stopping:
            started = loop.time()
            try:
                await self.run_pass()
            except Exception:
                log.exception("Recurring keeper pass failed")
            async with self._pass_finished:
                self.passes += 1
                self._pass_finished.notify_all()
            await self._background.pause(self.interval.total_seconds() - (loop.time() - started))

    # -- one pass ----------------------------------------------------------------

    async def run_pass(self) -> None:
        now = self.clock.now()
        for occurrence in await self.store.recurring.cancelling(CANCELS_PER_PASS):
            if self._background.stopping:
                return
            await self._cancel_again(occurrence, now)
        for schedule in await self.store.recurring.due(now + LEAD):
            if self._background.stopping:
                return
            try:
                await self.keep(schedule, now)
            except Exception:  # one schedule's trouble is not the others'
                log.exception("Keeping schedule %s failed", schedule.id)

    async def keep(self, schedule: Schedule, now: datetime) -> None:
        """Bring one active schedule up to date at ``now``."""
        assert schedule.next_due is not None
        rule = Rule.from_stored(schedule.rule)
        due: datetime | None = schedule.next_due
        passed: list[datetime] = []
        while due is not None and due <= now:
            following = next_occurrence(rule, due, self.tz)
            if schedule.send_late and (following is None or following > now):
                occurrence = await self.store.recurring.occurrence(
                    schedule.id, schedule.version, due
                )
                if not _settled(occurrence):
                    break  # the latest one missed stays next, to go out late below
            passed.append(due)
            due = following
        if passed:
            missed = await self.store.recurring.advance(schedule, passed, due)
            if missed is None:
                return  # changed meanwhile: the next pass reads it anew
            await self._report_missed(schedule, missed, due)
            if due is None:
                return
            refreshed = await self.store.recurring.get(schedule.id)
            if refreshed is None or refreshed.next_due != due:
                return
            schedule = refreshed
        if due is None or due - now > LEAD or self._retry_at.get(schedule.id, now) > now:
            return
        await self._create(schedule, due, late=due <= now, now=now)

    async def _create(
        self, schedule: Schedule, due: datetime, *, late: bool, now: datetime
    ) -> None:
        owner = await self.store.users.get(schedule.owner_id)
        outcome = await create_occurrence(
            self.store,
            self.sms,
            schedule,
            due,
            late=late,
            clock=self.clock,
            describe_numbers=lambda count: self.notifier.numbers_label(owner, count),
            owner=owner,
        )
        match outcome:
            case TryLater():
                self._retry_at[schedule.id] = now + RETRY_AFTER
            case Failed(above=above) if above:
                await self.notifier.occurrence_above_limits(schedule, due)
            case Failed(error=error):
                await self.notifier.occurrence_failed(schedule, due, error)
            case Created(dispatch_id=dispatch_id) if late:
                await self.notifier.occurrence_sent_late(schedule, due, dispatch_id)
            case _:
                self._retry_at.pop(schedule.id, None)

    async def _report_missed(
        self, schedule: Schedule, missed: list[datetime], next_due: datetime | None
    ) -> None:
        if missed:
            await self.store.audit.record(
                None,
                AUDIT_MISSED,
                details={
                    "schedule": schedule.id,
                    "count": len(missed),
                    "first": missed[0].isoformat(),
                },
            )
            log.warning("Schedule %s missed %d occurrence(s)", schedule.id, len(missed))
            await self.notifier.occurrences_missed(schedule, missed)
        if next_due is None:
            await self.store.audit.record(None, AUDIT_ENDED, details={"schedule": schedule.id})

    async def _cancel_again(self, occurrence: Occurrence, now: datetime) -> None:
        schedule = await self.store.recurring.get(occurrence.schedule_id)
        if schedule is None:
            return
        if occurrence.due_at <= now:
            # Its moment came before the cancel could be made: it went out.
            if await self.store.recurring.move(
                occurrence.id, [OccurrenceState.CANCELLING], OccurrenceState.CANCEL_FAILED
            ):
                await self.notifier.cancel_settled(
                    schedule, occurrence.due_at, occurrence.dispatch_id, cancelled=False
                )
            return
        result = await withdraw(self.store, self.sms, occurrence, None)
        if isinstance(result, StillTrying):
            return
        await self.notifier.cancel_settled(
            schedule,
            occurrence.due_at,
            result.dispatch_id,
            cancelled=not isinstance(result, TooLate),
        )


def _settled(occurrence: Occurrence | None) -> bool:
    """Whether an occurrence whose moment came needs nothing more: created, or refused
    and reported, or taken back."""
    return occurrence is not None and (
        occurrence.created or occurrence.state is not OccurrenceState.PLANNED
    )
