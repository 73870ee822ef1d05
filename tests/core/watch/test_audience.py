"""Who hears of a dispatch, and when: quiet hours in the company's zone."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from core.watch.audience import in_quiet_hours
from tests.support.dispatches import MOSCOW


@pytest.mark.parametrize(
    ("quiet", "local_time", "quiet_now"),
    [
        ((22 * 60, 8 * 60), "23:30", True),
        ((22 * 60, 8 * 60), "07:59", True),
        ((22 * 60, 8 * 60), "08:00", False),
        ((13 * 60, 14 * 60), "13:30", True),
        ((13 * 60, 14 * 60), "12:59", False),
        ((None, None), "03:00", False),
    ],
)
def test_quiet_hours_are_read_in_the_company_zone_and_may_wrap_midnight(
    quiet: tuple[int | None, int | None], local_time: str, quiet_now: bool
) -> None:
    hours, minutes = map(int, local_time.split(":"))
    moment = datetime(2025, 3, 1, hours, minutes, tzinfo=MOSCOW).astimezone(UTC)
    assert in_quiet_hours(*quiet, moment, MOSCOW) is quiet_now
