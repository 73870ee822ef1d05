"""The periods: whole days in the API's zone, the months offered, the digest's week."""

from __future__ import annotations

from datetime import UTC, date, datetime
from zoneinfo import ZoneInfo

import pytest

from core.reports.digest import due_week
from core.reports.periods import (
    PeriodKind,
    calendar_month,
    last_days,
    month_offered,
    previous_week,
    recent_months,
    today,
    week_key,
)

MSK = ZoneInfo("Europe/Moscow")
# 22:30 UTC on 31 March is already 1 April in Moscow.
LATE = datetime(2025, 3, 31, 22, 30, tzinfo=UTC)


def test_today_is_the_local_day():
    period = today(LATE, MSK)
    assert (period.first_day, period.last_day) == (date(2025, 4, 1), date(2025, 4, 1))
    assert period.start == datetime(2025, 4, 1, tzinfo=MSK)
    assert period.end == datetime(2025, 4, 2, tzinfo=MSK)


def test_seven_and_thirty_days_end_today():
    week = last_days(LATE, MSK, 7)
    assert (week.kind, week.first_day, week.last_day) == (
        PeriodKind.LAST_7_DAYS,
        date(2025, 3, 26),
        date(2025, 4, 1),
    )
    assert len(week.days()) == 7
    assert len(last_days(LATE, MSK, 30).days()) == 30
    with pytest.raises(ValueError):
        last_days(LATE, MSK, 10)


def test_a_calendar_month_and_december():
    february = calendar_month(2024, 2, MSK)
    assert (february.first_day, february.last_day) == (date(2024, 2, 1), date(2024, 2, 29))
    december = calendar_month(2024, 12, MSK)
    assert december.end == datetime(2025, 1, 1, tzinfo=MSK)


def test_twelve_months_are_offered_newest_first():
    months = recent_months(LATE, MSK)
    assert months[0] == date(2025, 4, 1) and months[-1] == date(2024, 5, 1)
    assert len(months) == 12
    assert month_offered(LATE, MSK, 2024, 5)
    assert not month_offered(LATE, MSK, 2024, 4)
    assert not month_offered(LATE, MSK, 2025, 5)
    assert not month_offered(LATE, MSK, 2025, 13)
    assert not month_offered(LATE, MSK, 2025, 0)


def test_the_digest_covers_last_monday_to_sunday_and_is_due_from_nine():
    monday = datetime(2025, 3, 10, 9, 0, tzinfo=MSK)
    week = previous_week(monday, MSK)
    assert (week.first_day, week.last_day) == (date(2025, 3, 3), date(2025, 3, 9))
    assert due_week(monday.replace(hour=8, minute=59), MSK) is None
    assert due_week(monday, MSK) == "2025-W11"
    assert due_week(datetime(2025, 3, 16, 23, 59, tzinfo=MSK), MSK) == "2025-W11"
    assert week_key(date(2024, 12, 30)) == "2025-W01"  # the ISO year, not the calendar's
    assert week_key(date(2025, 3, 3)) < week_key(date(2025, 12, 29))
