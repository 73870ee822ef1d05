"""The poller's schedule: when a dispatch is fetched next."""

from __future__ import annotations

from datetime import timedelta

from core.watch.poller import SCHEDULED_RECHECK, next_check_at
from tests.support.dispatches import NOW, dispatch


def test_a_queued_dispatch_is_next_fetched_at_its_send_time_or_within_the_hour() -> None:
    interval = timedelta(seconds=60)
    soon = dispatch("IN_QUEUE", send=NOW + timedelta(minutes=10))
    assert next_check_at(soon, NOW, interval) == soon.date_send
    next_week = next_check_at(dispatch("IN_QUEUE", send=NOW + timedelta(days=7)), NOW, interval)
    assert next_week is not None and NOW < next_week <= NOW + SCHEDULED_RECHECK
    assert (
        next_check_at(dispatch("IN_QUEUE", send=NOW + timedelta(seconds=30)), NOW, interval) is None
    )
    assert next_check_at(dispatch("ACTIVE"), NOW, interval) is None
    assert next_check_at(dispatch("NOT_ENOUGH_MONEY"), NOW, interval) is None
