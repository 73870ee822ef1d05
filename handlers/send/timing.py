"""Send times: what the user typed or tapped, as an aware moment in the API's zone.

Pure functions of "now", so that the rules (format, real date, not in the past) are
one place and easy to test.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

_TYPED = re.compile(r"^\s*(\d{1,2})\.(\d{1,2})\.(\d{4})\s+(\d{1,2}):(\d{2})(?::(\d{2}))?\s*$")
MINUTE_STEPS = (0, 15, 30, 45)
MORNING = time(9, 0)


class TimeProblem(StrEnum):
    MALFORMED = "malformed"  # not DD.MM.YYYY HH:MM[:SS]
    NO_SUCH_DATE = "no_such_date"  # 31.02, or a wall-clock time skipped by a clock change
    PAST = "past"


class TimeRefused(ValueError):
    def __init__(self, problem: TimeProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


def parse_send_time(text: str, tz: ZoneInfo, now: datetime) -> datetime:
    """``DD.MM.YYYY HH:MM[:SS]`` in ``tz``; TimeRefused unless it is a real future moment."""
    match = _TYPED.match(text)
    if match is None:
        raise TimeRefused(TimeProblem.MALFORMED)
    day, month, year, hour, minute = (int(part) for part in match.groups()[:5])
    second = int(match.group(6) or 0)
    if not (1 <= day <= 31 and 1 <= month <= 12 and hour <= 23 and minute <= 59 and second <= 59):
        raise TimeRefused(TimeProblem.MALFORMED)
    try:
        naive = datetime(year, month, day, hour, minute, second)
    except ValueError:
        raise TimeRefused(TimeProblem.NO_SUCH_DATE) from None
    return checked_future(naive, tz, now)


def checked_future(naive: datetime, tz: ZoneInfo, now: datetime) -> datetime:
    """A wall-clock time in ``tz`` that exists and lies after ``now``."""
    moment = naive.replace(tzinfo=tz)
    if moment.astimezone(UTC).astimezone(tz).replace(tzinfo=None) != naive:
        raise TimeRefused(TimeProblem.NO_SUCH_DATE)  # inside a spring-forward gap
    if moment <= now:
        raise TimeRefused(TimeProblem.PAST)
    return moment


def in_one_hour(tz: ZoneInfo, now: datetime) -> datetime:
    return (now.astimezone(tz) + timedelta(hours=1)).replace(second=0, microsecond=0)


def tomorrow_morning(tz: ZoneInfo, now: datetime) -> datetime:
    tomorrow = now.astimezone(tz).date() + timedelta(days=1)
    return datetime.combine(tomorrow, MORNING, tzinfo=tz)


def today(tz: ZoneInfo, now: datetime) -> date:
    return now.astimezone(tz).date()


def month_after(year: int, month: int, step: int) -> tuple[int, int]:
    index = year * 12 + (month - 1) + step
    return index // 12, index % 12 + 1


def hour_is_over(day: date, hour: int, tz: ZoneInfo, now: datetime) -> bool:
    """Whether every minute step of this hour has passed."""
    last = datetime.combine(day, time(hour, MINUTE_STEPS[-1]), tzinfo=tz)
    return last <= now


def minute_is_over(day: date, hour: int, minute: int, tz: ZoneInfo, now: datetime) -> bool:
    return datetime.combine(day, time(hour, minute), tzinfo=tz) <= now
