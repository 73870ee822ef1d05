"""A recurrence rule, and the next moment it gives after a given one.

Pure functions of a rule, a moment and a zone, Telegram-free and storage-free. The rule
speaks wall-clock time in the API's zone ("every weekday at 09:00" is 09:00 there, in
winter and in summer alike). Two clock changes a year need a word:

- a time skipped by a spring-forward change (02:30 on the night the clocks jump from
  02:00 to 03:00) is taken as the moment the clocks show after the jump by as much
  (03:30): the send is never dropped;
- a time that happens twice (02:30 on the night the clocks go back) is its first
  happening: the send is never doubled.

"The 31st" in a month without one is that month's last day (the 30th, or February's
28th or 29th).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from enum import StrEnum
from zoneinfo import ZoneInfo

from storage import ScheduleRule

WEEKDAYS = range(7)  # Monday = 0, as date.weekday()
WORKDAYS = frozenset(range(5))
# Far enough to meet any rule's next day (a month and a bit), bounded all the same.
SEARCH_DAYS = 62


class Kind(StrEnum):
    DAILY = "daily"
    WEEKDAYS = "weekdays"  # Monday to Friday
    WEEKLY = "weekly"  # on the chosen days of the week
    MONTHLY = "monthly"  # on one day of the month


class RuleProblem(StrEnum):
    NO_WEEKDAYS = "no_weekdays"  # weekly without a day
    BAD_MONTH_DAY = "bad_month_day"  # monthly without a day 1..31
    ENDS_BEFORE_START = "ends_before_start"


class RuleRefused(ValueError):
    def __init__(self, problem: RuleProblem) -> None:
        super().__init__(problem.value)
        self.problem = problem


@dataclass(frozen=True)
class Rule:
    kind: Kind
    at: time
    weekdays: frozenset[int] = frozenset()  # WEEKLY: days of the week, Monday = 0
    month_day: int | None = None  # MONTHLY: 1..31
    starts_on: date | None = None  # the first day that may have an occurrence
    ends_on: date | None = None  # the last such day, included

    def __post_init__(self) -> None:
        if self.kind is Kind.WEEKLY and not (self.weekdays and self.weekdays <= set(WEEKDAYS)):
            raise RuleRefused(RuleProblem.NO_WEEKDAYS)
        if self.kind is Kind.MONTHLY and not (
            self.month_day is not None and 1 <= self.month_day <= 31
        ):
            raise RuleRefused(RuleProblem.BAD_MONTH_DAY)
        if self.starts_on and self.ends_on and self.ends_on < self.starts_on:
            raise RuleRefused(RuleProblem.ENDS_BEFORE_START)

    def but(self, **changes: object) -> Rule:
        return replace(self, **changes)  # type: ignore[arg-type]

    @property
    def clamps_month_end(self) -> bool:
        """Whether some months have no such day, and the last day stands in for it."""
        return self.kind is Kind.MONTHLY and (self.month_day or 0) > 28

    def falls_on(self, day: date) -> bool:
        """Whether the rule has an occurrence on ``day`` (bounds aside)."""
        if self.kind is Kind.DAILY:
            return True
        if self.kind is Kind.WEEKDAYS:
            return day.weekday() in WORKDAYS
        if self.kind is Kind.WEEKLY:
            return day.weekday() in self.weekdays
        assert self.month_day is not None
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == min(self.month_day, last)

    # -- as stored ---------------------------------------------------------------

    @classmethod
    def from_stored(cls, stored: ScheduleRule) -> Rule:
        return cls(
            kind=Kind(stored.kind),
            at=time(stored.at_minute // 60, stored.at_minute % 60),
            weekdays=frozenset(day for day in WEEKDAYS if stored.weekdays >> day & 1),
            month_day=stored.month_day,
            starts_on=stored.starts_on,
            ends_on=stored.ends_on,
        )

    def stored(self) -> ScheduleRule:
        return ScheduleRule(
            kind=self.kind.value,
            at_minute=self.at.hour * 60 + self.at.minute,
            weekdays=sum(1 << day for day in self.weekdays) if self.kind is Kind.WEEKLY else 0,
            month_day=self.month_day if self.kind is Kind.MONTHLY else None,
            starts_on=self.starts_on,
            ends_on=self.ends_on,
        )


def at_wall_clock(day: date, at: time, tz: ZoneInfo) -> datetime:
    """``at`` on ``day`` in ``tz``, as an aware moment (UTC), clock changes as the module
    says: fold 0 is the first of a doubled time, and, for a skipped one, the offset from
    before the jump, which lands as far past it as the time was."""
    return datetime.combine(day, at, tzinfo=tz).replace(fold=0).astimezone(UTC)


def next_occurrence(rule: Rule, after: datetime, tz: ZoneInfo) -> datetime | None:
    """The rule's first moment strictly after ``after``; None when its last day is past."""
    day = after.astimezone(tz).date()
    if rule.starts_on is not None and rule.starts_on > day:
        day = rule.starts_on
    for _ in range(SEARCH_DAYS):
        if rule.ends_on is not None and day > rule.ends_on:
            return None
        if rule.falls_on(day):
            moment = at_wall_clock(day, rule.at, tz)
            if moment > after:
                return moment
        day += timedelta(days=1)
    return None  # unreachable for a valid rule: every kind has a day within a month


def occurrences(rule: Rule, after: datetime, tz: ZoneInfo, limit: int) -> list[datetime]:
    """Up to ``limit`` moments in a row after ``after`` (for previews and tests)."""
    found: list[datetime] = []
    moment: datetime | None = after
    while len(found) < limit and moment is not None:
        moment = next_occurrence(rule, moment, tz)
        if moment is not None:
            found.append(moment)
    return found
