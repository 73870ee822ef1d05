"""The background poller: one cycle every POLL_INTERVAL seconds while the bot runs.

A cycle reads the balance once (low-balance alerts), then fetches the tracked dispatches
that are due, a few at a time: the API has no list endpoint, so every dispatch costs one
GET, and only those that can change are due. Each watch stands on its own: a balance the
bot cannot read (or whose endpoint fails) does not hold back the statuses, and one
dispatch's trouble is not the others'. The service counts as down for a cycle only when
no request of it got an answer (then the remaining dispatches wait for the next cycle),
or when it refused access; the admins also hear of answers the bot could not read.
Groups bound as alert channels hear their share of the same cycle (``channels.py``).
A dispatch waiting in the queue for a later send time is next fetched when that time
comes (and once an hour meanwhile, in case it was cancelled elsewhere); one that reached
a final state is not fetched again once everyone was told.

The observation is stored only after everyone who hears about the dispatch was brought
up to date, so a bot stopped half way through tells the rest after its restart.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections import Counter
from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.background import BackgroundTask
from core.clock import Clock
from core.created import write_pending_creates
from core.metrics import Metrics
from core.sms import (
    Balance,
    Dispatch,
    DispatchNotFound,
    DispatchStatus,
    ServiceUnavailable,
    SmsApiClient,
    SmsApiError,
    TokenRejected,
)
from core.watch.audience import Audience
from core.watch.balance import BalanceWatch
from core.watch.channels import ChannelMessenger, ChannelWatch
from core.watch.formats import FormatWatch
from core.watch.health import ApiHealth
from core.watch.lost import LostCreateWatch
from core.watch.messenger import Messenger
from core.watch.statuses import StatusWatch
from storage import Storage, TrackedDispatch

log = logging.getLogger(__name__)

SCHEDULED_RECHECK = timedelta(hours=1)
NOT_FOUND_RECHECK = timedelta(hours=1)
CONCURRENT_GETS = 8
MAX_DISPATCHES_PER_CYCLE = 500  # the rest stay due and go first next cycle
MAX_UNSETTLED_CYCLES = 5  # then a delivery that keeps failing is given up


class _CycleHealth:
    """Whether the service answered anything in this cycle, and why not if it did not."""

    def __init__(self) -> None:
        self.answered = False
        self.refused: TokenRejected | None = None
        # No answer (network, timeout, 5xx) from the balance, from a dispatch's GET.
        self.balance_unavailable: SmsApiError | None = None
        self.dispatch_unavailable: SmsApiError | None = None

    def saw(self, error: SmsApiError | None, *, balance: bool = False) -> None:
        if isinstance(error, TokenRejected):
            self.refused = error
        elif isinstance(error, ServiceUnavailable):
            if balance:
                self.balance_unavailable = error
            else:
                self.dispatch_unavailable = error
        else:  # data, a documented refusal, or an answer the bot could not read
            self.answered = True

    @property
    def down(self) -> bool:
        """The dispatches' GETs fail alike: the rest wait for the next cycle. (The
        balance's endpoint failing alone does not hold the statuses back.)"""
        return self.refused is not None or (
            self.dispatch_unavailable is not None and not self.answered
        )

    @property
    def failure(self) -> SmsApiError | None:
        """Why the cycle counts as failed: access refused, or no answer at all."""
        if self.refused is not None:
            return self.refused
        if self.answered:
            return None
        return self.dispatch_unavailable or self.balance_unavailable


@dataclass(frozen=True)
class CycleReport:
    api_ok: bool
    api_calls: int  # HTTP requests to the SMS API in this cycle, retries included
    dispatches_checked: int
    failure: str | None = None  # why the cycle failed, in words without a secret


@dataclass(frozen=True)
class FinishedCycle:
    """The last cycle, for the readiness check: its report and when it ended."""

    report: CycleReport
    finished_at: float  # time.monotonic()


def next_check_at(dispatch: Dispatch, now: datetime, interval: timedelta) -> datetime | None:
    """When to fetch the dispatch again; None = at the next cycle."""
    if dispatch.status is DispatchStatus.IN_QUEUE and dispatch.date_send - now > interval:
        # Spread the hourly re-reads of many queued dispatches over several cycles.
        spread = 0.75 + (dispatch.id % 16) / 64
        return min(dispatch.date_send, now + SCHEDULED_RECHECK * spread)
    return None


class Poller:
    def __init__(
        self,
        *,
        store: Storage,
        sms: SmsApiClient,
        messenger: Messenger,
        clock: Clock,
        interval: timedelta,
        tz: ZoneInfo,
        concurrent_gets: int = CONCURRENT_GETS,
        max_per_cycle: int = MAX_DISPATCHES_PER_CYCLE,
        metrics: Metrics | None = None,
        channels: ChannelMessenger | None = None,
    ) -> None:
        self.store = store
        self.sms = sms
        self.messenger = messenger
        self.clock = clock
        self.interval = interval
        self.status_watch = StatusWatch(store, messenger, tz)
        self.balance_watch = BalanceWatch(store, messenger, tz)
        # Without a messenger for groups (tools, benchmarks), groups hear nothing.
        self.channel_watch = ChannelWatch(store, channels, tz) if channels else None
        self.health = ApiHealth(store, messenger, tz, channels=self.channel_watch)
        self.formats = FormatWatch(store, messenger, tz)
        self.lost = LostCreateWatch(store, sms, messenger)
        self._tz = tz
        self._gets = asyncio.Semaphore(concurrent_gets)
        self._max_per_cycle = max_per_cycle
        self._unsettled: Counter[int] = Counter()
        self._background = BackgroundTask("notifications poller")
        self._cycle_finished = asyncio.Condition()
        self.cycles = 0  # finished so far, failed ones included
        self.last_cycle: FinishedCycle | None = None
        self._metrics = metrics or Metrics()
        for result in ("ok", "failed", "error"):  # each series from zero
            self._metrics.poller_cycles.labels(result)

    # -- life cycle --------------------------------------------------------------

    def start(self) -> None:
        self._background.start(self._run)

    async def stop(self) -> None:
        """Finish the deliveries in flight (nothing new starts), then end; cancelled if
        that takes longer than a few seconds. Safe to call twice."""
        await self._background.stop()

    async def wait_for_cycles(self, count: int = 1) -> None:
        """Return once ``count`` more cycles have finished (for tests and measurements)."""
        target = self.cycles + count
        async with self._cycle_finished:
            await self._cycle_finished.wait_for(lambda: self.cycles >= target)

    async def _run(self) -> None:
        loop = asyncio.get_running_loop()
        interval = self.interval.total_seconds()
        while not self._background.stopping:
            started = loop.time()
            try:
                report = await self.run_cycle()
                log.debug("Poller cycle: %s", report)
                result = "ok" if report.api_ok else "failed"
            except Exception as error:
                # One bad cycle must not end the notifications for good.
                log.exception("Poller cycle failed")
                report = CycleReport(False, 0, 0, f"the cycle failed ({type(error).__name__})")
                result = "error"
            self._measure(report, result, loop.time() - started)
            async with self._cycle_finished:
                self.cycles += 1
                self._cycle_finished.notify_all()
            await self._background.pause(interval - (loop.time() - started))

    def _measure(self, report: CycleReport, result: str, seconds: float) -> None:
        self.last_cycle = FinishedCycle(report, time.monotonic())
        metrics = self._metrics
        metrics.poller_cycles.labels(result).inc()
        metrics.poller_cycle_seconds.observe(seconds)
        metrics.poller_dispatches_checked.inc(report.dispatches_checked)
        metrics.poller_last_cycle_dispatches.set(report.dispatches_checked)

    # -- one cycle ---------------------------------------------------------------

    async def run_cycle(self) -> CycleReport:
        now = self.clock.now()
        calls_before = self.sms.request_counts.total()
        # Creates the database could not take when they happened: followed from now on.
        await write_pending_creates(self.store)
        audience = await Audience.load(self.store)
        health = _CycleHealth()
        balance = await self._read_balance(health)
        if balance is not None:
            await self._keep_balance(balance, now)
        available = None if balance is None else balance.available(now.astimezone(self._tz).date())
        due = (
            []
            if self._background.stopping
            else await self.store.dispatches.due_for_poll(now, self._max_per_cycle)
        )
        watches = [self._check(tracked, audience, now, available, health) for tracked in due]
        if balance is not None:
            watches.append(self.balance_watch.check(balance, audience, now))
            if self.channel_watch is not None:
                watches.append(self.channel_watch.balance(balance, audience, now))
        for result in await asyncio.gather(*watches, return_exceptions=True):
            if isinstance(result, Exception):  # one dispatch's trouble is not the cycle's
                log.error("Poller step failed", exc_info=result)
        failure = health.failure
        if not health.down and not self._background.stopping:
            await self.lost.run(audience, now)
        if failure is None:
            await self.health.cycle_succeeded(now, audience)
        else:
            await self.health.cycle_failed(failure, now, audience)
        await self.formats.tell(self.sms.problems.take_new(), audience, now)
        return CycleReport(
            failure is None,
            self.sms.request_counts.total() - calls_before,
            len(due),
            None if failure is None else str(failure),
        )

    async def _read_balance(self, health: _CycleHealth) -> Balance | None:
        try:
            balance = await self.sms.balance()
        except SmsApiError as error:
            log.warning("Balance not read: %s", error)
            health.saw(error, balance=True)
            return None
        health.saw(None, balance=True)
        return balance

    async def _keep_balance(self, balance: Balance, now: datetime) -> None:
        """For the reports' money spent (kept an hour at a time: storage/balance_history.py);
        a reading not kept costs the reports, never the alerts."""
        try:
            await self.store.balance_history.record(balance.balance, now)
        except Exception:
            log.exception("Balance reading not kept")

    async def _check(
        self,
        tracked: TrackedDispatch,
        audience: Audience,
        now: datetime,
        available: Decimal | None,
        health: _CycleHealth,
    ) -> None:
        dispatch_id = tracked.dispatch_id
        try:
            async with self._gets:
                if self._background.stopping or health.down:
                    return  # still due: tried at the next cycle
                dispatch = await self.sms.dispatch(dispatch_id)
        except DispatchNotFound as error:
            health.saw(error)
            log.warning("Tracked dispatch %s is not known to the SMS API", dispatch_id)
            await self.store.dispatches.postpone(dispatch_id, now + NOT_FOUND_RECHECK)
            return
        except SmsApiError as error:
            health.saw(error)
            log.warning("Dispatch %s not checked: %s", dispatch_id, error)
            return  # still due: tried again next cycle
        health.saw(None)
        try:
            settled = await self.status_watch.notify(dispatch, tracked, audience, now, available)
        except Exception:
            log.exception("Notifying about dispatch %s failed", dispatch_id)
            settled = False
        if self.channel_watch is not None:
            try:
                told = await self.channel_watch.dispatch_observed(
                    dispatch, tracked, audience, available
                )
            except Exception:
                log.exception("Telling groups of dispatch %s failed", dispatch_id)
                told = False
            settled = settled and told
        if not settled:
            self._unsettled[dispatch_id] += 1
            if self._unsettled[dispatch_id] < MAX_UNSETTLED_CYCLES or self._background.stopping:
                return  # observed again next cycle; those already told are not told twice
            log.warning("Giving up some notifications about dispatch %s", dispatch_id)
        self._unsettled.pop(dispatch_id, None)
        await self.store.dispatches.record_observation(
            dispatch_id,
            dispatch.status_raw,
            dispatch.messages_sent or 0,
            dispatch.messages_delivered or 0,
            dispatch.messages_count or 0,
            dispatch.is_final,
            next_check_at(dispatch, now, self.interval),
            date_send=dispatch.date_send,
        )
