"""What people type in the set-up: a time of day, a day of the month, a period.

Pure functions; each refusal says which problem it is, for the step to explain.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

_TIME = re.compile(r"^\s*(\d{1,2})[:.](\d{2})\s*$")
_DAY = re.compile(r"^\s*(\d{1,2})\s*$")
_DATE = r"(\d{1,2})\.(\d{1,2})\.(\d{4})"
_BOTH = re.compile(rf"^\s*(?:с|from)?\s*{_DATE}\s*(?:-|–|—|по|до|until|to)\s*{_DATE}\s*$", re.I)
_START = re.compile(rf"^\s*(?:(?:с|from)\s*{_DATE}|{_DATE}\s*(?:-|–|—))\s*$", re.I)
_END = re.compile(rf"^\s*(?:по|до|until|to|-|–|—)\s*{_DATE}\s*$", re.I)


class PeriodProblem(StrEnum):
    MALFORMED = "malformed"
    NO_SUCH_DATE = "no_such_date"


class PeriodRefused(ValueError):
    def __init__(self, problem: PeriodProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Period:
    starts_on: date | None
    ends_on: date | None


def parse_time_of_day(text: str) -> int | None:
    """``HH:MM`` (or ``H.MM``) as minutes after midnight; None if it is not a time."""
    match = _TIME.match(text)
    if match is None:
        return None
    hour, minute = int(match[1]), int(match[2])
    if hour > 23 or minute > 59:
        return None
    return hour * 60 + minute


def parse_month_day(text: str) -> int | None:
    match = _DAY.match(text)
    if match is None or not 1 <= int(match[1]) <= 31:
        return None
    return int(match[1])


def parse_period(text: str) -> Period:
    """``DD.MM.YYYY - DD.MM.YYYY``, ``с|from DD.MM.YYYY`` or ``по|until DD.MM.YYYY``."""
    if match := _BOTH.match(text):
        return Period(_date(match.groups()[:3]), _date(match.groups()[3:]))
    if match := _START.match(text):
        parts = match.groups()
        return Period(_date(parts[:3] if parts[0] else parts[3:]), None)
    if match := _END.match(text):
        return Period(None, _date(match.groups()))
    raise PeriodRefused(PeriodProblem.MALFORMED)


def _date(parts: tuple[str | None, ...]) -> date:
    day, month, year = (int(part or 0) for part in parts)
    try:
        return date(year, month, day)
    except ValueError:
        raise PeriodRefused(PeriodProblem.NO_SUCH_DATE) from None
