"""A report's figures: what the bot already keeps, gathered for one period.

Dispatches: those the bot follows (sent through it, or followed with ``/track``), counted
on the day they were sent, with the sent and delivered counts of the poller's last look at
each. The SMS API has no list of dispatches and answers one dispatch per request, so a
report reads none of them: the poller already reads every dispatch that can still change.

Money: the balance readings the poller keeps an hour at a time (``storage/balance_history``).
**Spent** is the sum of every fall of the balance between two readings; a rise (a payment,
or money given back for a cancelled dispatch) is not spending and is shown apart as
**credited**. Readings are a poll interval apart, so a charge and a refund within one
interval net out.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal

from core.reports.periods import Period
from storage import BalanceHour, ReportDispatch, Storage


@dataclass(frozen=True)
class Totals:
    dispatches: int = 0
    parts: int = 0  # SMS parts of every number together (the API's messagesCount)
    sent: int = 0
    delivered: int = 0

    @property
    def delivery_rate(self) -> Decimal | None:
        """Delivered of sent, in percent; None when nothing was sent."""
        if self.sent <= 0:
            return None
        return Decimal(self.delivered * 100) / Decimal(self.sent)

    def add(self, dispatch: ReportDispatch) -> Totals:
        return Totals(
            self.dispatches + 1,
            self.parts + dispatch.parts,
            self.sent + dispatch.sent,
            self.delivered + dispatch.delivered,
        )


@dataclass(frozen=True)
class DayFigures:
    day: date
    totals: Totals
    spent: Decimal
    credited: Decimal
    balance: Decimal | None  # at the end of the day (now, for today); None: not known


@dataclass(frozen=True)
class Report:
    period: Period
    totals: Totals
    spent: Decimal
    credited: Decimal
    days: list[DayFigures]
    dispatches: list[ReportDispatch]
    balance_since: datetime | None  # the first balance reading kept; None: none yet
    observed_at: datetime | None  # the newest look at a dispatch of the period
    balance_now: Decimal | None  # read for this report; None: the SMS API did not answer

    @property
    def money_partial(self) -> bool:
        """The balance was first read after the period began: "spent" misses its start."""
        return self.balance_since is None or self.balance_since > self.period.start

    @property
    def empty(self) -> bool:
        return not self.dispatches and self.spent == 0 and self.credited == 0


async def gather_report(
    store: Storage, period: Period, now: datetime, balance_now: Decimal | None = None
) -> Report:
    dispatches = await store.reports.dispatches_between(period.start, period.end)
    hours = await store.balance_history.between(period.start, period.end)
    before = await store.balance_history.last_before(period.start)
    since = await store.balance_history.first_hour()
    days = _days(period, dispatches, hours, before, now)
    totals = Totals()
    for dispatch in dispatches:
        totals = totals.add(dispatch)
    return Report(
        period=period,
        totals=totals,
        spent=sum((day.spent for day in days), Decimal(0)),
        credited=sum((day.credited for day in days), Decimal(0)),
        days=days,
        dispatches=dispatches,
        balance_since=since,
        observed_at=max((d.observed_at for d in dispatches), default=None),
        balance_now=balance_now,
    )


def _days(
    period: Period,
    dispatches: list[ReportDispatch],
    hours: list[BalanceHour],
    before: BalanceHour | None,
    now: datetime,
) -> list[DayFigures]:
    counted: dict[date, Totals] = defaultdict(Totals)
    for dispatch in dispatches:
        day = period.day_of(dispatch.sent_at)
        counted[day] = counted[day].add(dispatch)
    by_day: dict[date, list[BalanceHour]] = defaultdict(list)
    for hour in hours:
        by_day[period.day_of(hour.hour)].append(hour)
    today = period.day_of(now)
    balance = before.closing if before else None
    figures = []
    for day in period.days():
        spent = credited = Decimal(0)
        for hour in by_day.get(day, []):
            spent += hour.spent
            credited += hour.credited
            balance = hour.closing
        figures.append(
            DayFigures(
                day=day,
                totals=counted.get(day, Totals()),
                spent=spent,
                credited=credited,
                balance=balance if day <= today else None,
            )
        )
    return figures
