"""Recurrence rules: every kind, clock changes, month ends, the from/until bounds."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from core.recurring.rules import (
    Kind,
    Rule,
    RuleProblem,
    RuleRefused,
    at_wall_clock,
    next_occurrence,
    occurrences,
)

MOSCOW = ZoneInfo("Europe/Moscow")
BERLIN = ZoneInfo("Europe/Berlin")  # changes its clocks: 30.03.2025 and 26.10.2025
NINE = time(9, 0)


def local(tz: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=tz)  # type: ignore[misc]


def walls(moments: list[datetime], tz: ZoneInfo) -> list[str]:
    return [moment.astimezone(tz).strftime("%a %d.%m.%Y %H:%M") for moment in moments]


def test_every_day_is_every_day_at_its_time() -> None:
    rule = Rule(Kind.DAILY, NINE)
    after = local(MOSCOW, 2025, 3, 3, 12, 0)  # a Monday, after nine
    assert walls(occurrences(rule, after, MOSCOW, 3), MOSCOW) == [
        "Tue 04.03.2025 09:00",
        "Wed 05.03.2025 09:00",
        "Thu 06.03.2025 09:00",
    ]


def test_the_same_day_counts_while_its_time_is_ahead() -> None:
    rule = Rule(Kind.DAILY, NINE)
    assert next_occurrence(rule, local(MOSCOW, 2025, 3, 3, 8, 59), MOSCOW) == local(
        MOSCOW, 2025, 3, 3, 9, 0
    )
    # Strictly after: the moment itself is not its own next.
    assert next_occurrence(rule, local(MOSCOW, 2025, 3, 3, 9, 0), MOSCOW) == local(
        MOSCOW, 2025, 3, 4, 9, 0
    )


def test_every_weekday_skips_the_weekend() -> None:
    rule = Rule(Kind.WEEKDAYS, NINE)
    after = local(MOSCOW, 2025, 3, 6, 10, 0)  # Thursday, after nine
    assert walls(occurrences(rule, after, MOSCOW, 3), MOSCOW) == [
        "Fri 07.03.2025 09:00",
        "Mon 10.03.2025 09:00",
        "Tue 11.03.2025 09:00",
    ]


def test_every_week_on_monday_and_thursday() -> None:
    rule = Rule(Kind.WEEKLY, time(18, 30), weekdays=frozenset({0, 3}))
    after = local(MOSCOW, 2025, 3, 4, 0, 0)  # Tuesday
    assert walls(occurrences(rule, after, MOSCOW, 4), MOSCOW) == [
        "Thu 06.03.2025 18:30",
        "Mon 10.03.2025 18:30",
        "Thu 13.03.2025 18:30",
        "Mon 17.03.2025 18:30",
    ]


def test_every_month_on_the_first() -> None:
    rule = Rule(Kind.MONTHLY, NINE, month_day=1)
    after = local(MOSCOW, 2025, 1, 1, 9, 0)
    assert walls(occurrences(rule, after, MOSCOW, 3), MOSCOW) == [
        "Sat 01.02.2025 09:00",
        "Sat 01.03.2025 09:00",
        "Tue 01.04.2025 09:00",
    ]


def test_the_31st_falls_on_the_last_day_of_a_shorter_month() -> None:
    rule = Rule(Kind.MONTHLY, NINE, month_day=31)
    after = local(MOSCOW, 2025, 1, 1, 0, 0)
    assert [m.astimezone(MOSCOW).date() for m in occurrences(rule, after, MOSCOW, 5)] == [
        date(2025, 1, 31),
        date(2025, 2, 28),
        date(2025, 3, 31),
        date(2025, 4, 30),
        date(2025, 5, 31),
    ]
    assert rule.clamps_month_end


def test_the_30th_in_a_leap_february_is_the_29th() -> None:
    rule = Rule(Kind.MONTHLY, NINE, month_day=30)
    after = local(MOSCOW, 2024, 2, 1, 0, 0)
    assert next_occurrence(rule, after, MOSCOW) == local(MOSCOW, 2024, 2, 29, 9, 0)
    assert not Rule(Kind.MONTHLY, NINE, month_day=28).clamps_month_end


def test_nine_oclock_stays_nine_oclock_across_both_clock_changes() -> None:
    rule = Rule(Kind.DAILY, NINE)
    spring = occurrences(rule, local(BERLIN, 2025, 3, 29, 10, 0), BERLIN, 2)
    assert walls(spring, BERLIN) == ["Sun 30.03.2025 09:00", "Mon 31.03.2025 09:00"]
    assert spring[1] - spring[0] == timedelta(hours=24)  # a day later on the wall clock
    assert [m.utcoffset() for m in (s.astimezone(BERLIN) for s in spring)] == [
        timedelta(hours=2),
        timedelta(hours=2),
    ]
    autumn = occurrences(rule, local(BERLIN, 2025, 10, 25, 10, 0), BERLIN, 2)
    assert walls(autumn, BERLIN) == ["Sun 26.10.2025 09:00", "Mon 27.10.2025 09:00"]
    # Across the change itself: 23 hours in spring, 25 in autumn.
    before_spring = next_occurrence(rule, local(BERLIN, 2025, 3, 29, 8, 0), BERLIN)
    assert spring[0] - before_spring == timedelta(hours=23)  # type: ignore[operator]
    before_autumn = next_occurrence(rule, local(BERLIN, 2025, 10, 25, 8, 0), BERLIN)
    assert autumn[0] - before_autumn == timedelta(hours=25)  # type: ignore[operator]


def test_a_time_the_spring_change_skips_comes_just_after_the_jump() -> None:
    rule = Rule(Kind.DAILY, time(2, 30))
    moments = occurrences(rule, local(BERLIN, 2025, 3, 29, 12, 0), BERLIN, 2)
    assert walls(moments, BERLIN) == ["Sun 30.03.2025 03:30", "Mon 31.03.2025 02:30"]
    assert moments[0] == datetime(2025, 3, 30, 1, 30, tzinfo=UTC)


def test_a_time_the_autumn_change_doubles_comes_once() -> None:
    rule = Rule(Kind.DAILY, time(2, 30))
    moments = occurrences(rule, local(BERLIN, 2025, 10, 25, 12, 0), BERLIN, 2)
    assert moments[0] == datetime(2025, 10, 26, 0, 30, tzinfo=UTC)  # the first 02:30 (CEST)
    assert walls(moments, BERLIN) == ["Sun 26.10.2025 02:30", "Mon 27.10.2025 02:30"]


def test_from_and_until_bound_the_occurrences() -> None:
    rule = Rule(Kind.DAILY, NINE, starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 12))
    after = local(MOSCOW, 2025, 3, 1, 0, 0)
    assert walls(occurrences(rule, after, MOSCOW, 10), MOSCOW) == [
        "Mon 10.03.2025 09:00",
        "Tue 11.03.2025 09:00",
        "Wed 12.03.2025 09:00",  # the last day is included
    ]
    assert next_occurrence(rule, local(MOSCOW, 2025, 3, 12, 9, 0), MOSCOW) is None


def test_until_before_from_is_refused() -> None:
    with pytest.raises(RuleRefused) as refused:
        Rule(Kind.DAILY, NINE, starts_on=date(2025, 3, 10), ends_on=date(2025, 3, 9))
    assert refused.value.problem is RuleProblem.ENDS_BEFORE_START


def test_a_period_without_any_such_day_gives_nothing() -> None:
    rule = Rule(
        Kind.WEEKLY,
        NINE,
        weekdays=frozenset({6}),
        starts_on=date(2025, 3, 10),  # Monday
        ends_on=date(2025, 3, 14),  # Friday: no Sunday in between
    )
    assert next_occurrence(rule, local(MOSCOW, 2025, 3, 1, 0, 0), MOSCOW) is None


@pytest.mark.parametrize(
    ("changes", "problem"),
    [
        ({"kind": Kind.WEEKLY}, RuleProblem.NO_WEEKDAYS),
        ({"kind": Kind.WEEKLY, "weekdays": frozenset({7})}, RuleProblem.NO_WEEKDAYS),
        ({"kind": Kind.MONTHLY}, RuleProblem.BAD_MONTH_DAY),
        ({"kind": Kind.MONTHLY, "month_day": 32}, RuleProblem.BAD_MONTH_DAY),
        ({"kind": Kind.MONTHLY, "month_day": 0}, RuleProblem.BAD_MONTH_DAY),
    ],
)
def test_an_incomplete_rule_is_refused(changes: dict[str, object], problem: RuleProblem) -> None:
    with pytest.raises(RuleRefused) as refused:
        Rule(**({"kind": Kind.DAILY, "at": NINE} | changes))  # type: ignore[arg-type]
    assert refused.value.problem is problem


@pytest.mark.parametrize(
    "rule",
    [
        Rule(Kind.DAILY, time(23, 59)),
        Rule(Kind.WEEKDAYS, NINE, ends_on=date(2026, 1, 1)),
        Rule(Kind.WEEKLY, time(0, 0), weekdays=frozenset({1, 6})),
        Rule(Kind.MONTHLY, time(7, 15), month_day=31, starts_on=date(2025, 6, 1)),
    ],
)
def test_a_rule_survives_storage(rule: Rule) -> None:
    assert Rule.from_stored(rule.stored()) == rule


@settings(max_examples=200, deadline=None)
@given(
    kind=st.sampled_from(list(Kind)),
    minute=st.integers(0, 1439),
    weekdays=st.frozensets(st.integers(0, 6), min_size=1),
    month_day=st.integers(1, 31),
    offset=st.integers(0, 3 * 365 * 24 * 60),
    zone=st.sampled_from([MOSCOW, BERLIN, ZoneInfo("America/New_York")]),
)
def test_the_next_occurrence_is_the_first_matching_moment_after(
    kind: Kind,
    minute: int,
    weekdays: frozenset[int],
    month_day: int,
    offset: int,
    zone: ZoneInfo,
) -> None:
    rule = Rule(kind, time(minute // 60, minute % 60), weekdays=weekdays, month_day=month_day)
    after = datetime(2024, 1, 1, tzinfo=UTC) + timedelta(minutes=offset)
    found = next_occurrence(rule, after, zone)
    assert found is not None and found > after
    day = found.astimezone(zone).date()
    assert rule.falls_on(day)
    assert found == at_wall_clock(day, rule.at, zone)
    # No day in between has one that would have come first.
    probe = after.astimezone(zone).date()
    while probe < day:
        assert not rule.falls_on(probe) or at_wall_clock(probe, rule.at, zone) <= after
        probe += timedelta(days=1)
