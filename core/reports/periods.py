"""The periods a report covers: whole days in the API's time zone.

"7 days" and "30 days" end today and include it; a month is a calendar month; the weekly
digest covers the Monday-to-Sunday week before the one it is sent in.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

MONTHS_OFFERED = 12  # a month picker goes back this far: the balance is kept ~400 days


class PeriodKind(StrEnum):
    TODAY = "d"
    LAST_7_DAYS = "w"
    LAST_30_DAYS = "m"
    MONTH = "c"  # a calendar month
    WEEK = "k"  # Monday to Sunday: the weekly digest's


@dataclass(frozen=True)
class Period:
    kind: PeriodKind
    first_day: date
    last_day: date  # included
    tz: ZoneInfo

    @property
    def start(self) -> datetime:
        return datetime.combine(self.first_day, time(), self.tz)

    @property
    def end(self) -> datetime:
        """The moment after the last day: the period is [start, end)."""
        return datetime.combine(self.last_day + timedelta(days=1), time(), self.tz)

    def days(self) -> list[date]:
        count = (self.last_day - self.first_day).days + 1
        return [self.first_day + timedelta(days=n) for n in range(count)]

    def day_of(self, moment: datetime) -> date:
        return moment.astimezone(self.tz).date()


def local_today(now: datetime, tz: ZoneInfo) -> date:
    return now.astimezone(tz).date()


def today(now: datetime, tz: ZoneInfo) -> Period:
    day = local_today(now, tz)
    return Period(PeriodKind.TODAY, day, day, tz)


def last_days(now: datetime, tz: ZoneInfo, count: int) -> Period:
    """``count`` days ending today, today included."""
    if count not in (7, 30):
        raise ValueError(f"a report covers 7 or 30 days, not {count}")
    kind = PeriodKind.LAST_7_DAYS if count == 7 else PeriodKind.LAST_30_DAYS
    day = local_today(now, tz)
    return Period(kind, day - timedelta(days=count - 1), day, tz)


def calendar_month(year: int, month: int, tz: ZoneInfo) -> Period:
    first = date(year, month, 1)
    following = date(year + month // 12, month % 12 + 1, 1)
    return Period(PeriodKind.MONTH, first, following - timedelta(days=1), tz)


def recent_months(now: datetime, tz: ZoneInfo, count: int = MONTHS_OFFERED) -> list[date]:
    """The first days of this month and the ``count - 1`` before it, newest first."""
    day = local_today(now, tz).replace(day=1)
    months = []
    for _ in range(count):
        months.append(day)
        day = (day - timedelta(days=1)).replace(day=1)
    return months


def month_offered(now: datetime, tz: ZoneInfo, year: int, month: int) -> bool:
    """Whether a month picker offers that month (callback data can be forged)."""
    return 1 <= month <= 12 and date(year, month, 1) in recent_months(now, tz)


def previous_week(now: datetime, tz: ZoneInfo) -> Period:
    """Monday to Sunday of the week before the one ``now`` falls in."""
    monday = monday_of(local_today(now, tz)) - timedelta(days=7)
    return Period(PeriodKind.WEEK, monday, monday + timedelta(days=6), tz)


def monday_of(day: date) -> date:
    return day - timedelta(days=day.weekday())


def week_key(day: date) -> str:
    """The ISO week ``day`` falls in, as ``2025-W07`` (text order is time order)."""
    year, week, _ = day.isocalendar()
    return f"{year}-W{week:02d}"
