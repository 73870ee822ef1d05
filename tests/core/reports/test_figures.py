"""A report's figures from what is kept: counts by send day, spent and credited."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.reports import Totals, gather_report
from core.reports.periods import calendar_month, last_days, today
from storage import Storage

MSK = ZoneInfo("Europe/Moscow")
NOW = datetime(2025, 3, 7, 12, 0, tzinfo=MSK)


def test_delivery_rate_is_delivered_of_sent():
    assert Totals(1, 10, 8, 6).delivery_rate == Decimal(75)
    assert Totals(1, 10, 0, 0).delivery_rate is None


async def test_counts_go_to_the_day_they_were_sent(store: Storage):
    await store.dispatches.track(1, 7, "a", "x", datetime(2025, 3, 5, 20, 59, tzinfo=UTC))
    await store.dispatches.track(2, 7, "b", "y", datetime(2025, 3, 5, 21, 1, tzinfo=UTC))
    await store.dispatches.record_observation(1, "CLOSED", 10, 9, 10, True, None)
    await store.dispatches.record_observation(2, "DELIVERING", 4, 1, 6, False, None)
    report = await gather_report(store, last_days(NOW, MSK, 7), NOW)
    assert report.totals == Totals(2, 16, 14, 10)
    by_day = {day.day: day.totals for day in report.days}
    assert by_day[date(2025, 3, 5)] == Totals(1, 10, 10, 9)  # 23:59 in Moscow
    assert by_day[date(2025, 3, 6)] == Totals(1, 6, 4, 1)  # 00:01 in Moscow
    assert report.observed_at is not None


async def test_spent_and_credited_and_the_balance_at_each_days_end(store: Storage):
    history = store.balance_history
    await history.record(Decimal(500), datetime(2025, 2, 20, 10, tzinfo=MSK))
    await history.record(Decimal(450), datetime(2025, 3, 2, 10, tzinfo=MSK))
    await history.record(Decimal(400), datetime(2025, 3, 3, 10, tzinfo=MSK))
    await history.record(Decimal(1400), datetime(2025, 3, 3, 11, tzinfo=MSK))
    await history.record(Decimal("1390.5"), datetime(2025, 3, 6, 9, tzinfo=MSK))
    report = await gather_report(store, last_days(NOW, MSK, 7), NOW, Decimal("1390.50"))
    assert (report.spent, report.credited) == (Decimal("109.5"), Decimal(1000))
    balances = [day.balance for day in report.days]
    assert balances == [
        Decimal(500),  # 1 March: what was last read before the week
        Decimal(450),
        Decimal(1400),
        Decimal(1400),
        Decimal(1400),
        Decimal("1390.5"),
        Decimal("1390.5"),
    ]
    assert not report.money_partial and not report.empty


async def test_before_the_first_reading_the_balance_is_not_known(store: Storage):
    await store.balance_history.record(Decimal(100), datetime(2025, 3, 6, 9, tzinfo=MSK))
    report = await gather_report(store, last_days(NOW, MSK, 7), NOW)
    assert [day.balance for day in report.days][-3:] == [None, Decimal(100), Decimal(100)]
    assert report.money_partial


async def test_days_after_now_have_no_balance(store: Storage):
    await store.balance_history.record(Decimal(100), datetime(2025, 3, 1, 9, tzinfo=MSK))
    report = await gather_report(store, calendar_month(2025, 3, MSK), NOW)
    assert report.days[6].balance == Decimal(100)  # today, the 7th
    assert report.days[7].balance is None


async def test_an_empty_period(store: Storage):
    report = await gather_report(store, today(NOW, MSK), NOW)
    assert report.empty and report.totals == Totals()
    assert report.spent == 0 and report.balance_since is None and report.money_partial
    assert [day.balance for day in report.days] == [None]
    assert report.period.days() == [date(2025, 3, 7)]
    assert NOW - timedelta(days=1) < report.period.end
