"""The admins' approval limits hold for schedules too: a manager's occurrence above them
is not created (nobody is there to approve it), and the manager hears why in time."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.send_settings import Limit, write_limit
from storage import OccurrenceState
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.recurring import (
    minute_after,
    only_schedule,
    set_up_daily,
    wait_passes,
    wall_clock,
)
from tests.support.send import RU, creates, reply_with
from tests.support.texts import CUT, head

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def test_a_managers_occurrence_above_the_limit_is_not_created_and_they_hear_why(
    bot: BotUnderTest, manager: SimUser
) -> None:
    await write_limit(bot.store, Limit.RECIPIENTS, 1)  # the book "name1" holds two
    due = minute_after(bot, timedelta(hours=2))
    await set_up_daily(manager, wall_clock(due))
    await wait_passes(bot)

    notice = await reply_with(
        manager, head(RU("recurring.above_limits", id=CUT, rule=CUT, moment=CUT))
    )
    assert wall_clock(due) in (notice.text or "")
    assert creates(bot) == []
    schedule = await only_schedule(bot)
    occurrence = await bot.store.recurring.occurrence(schedule.id, schedule.version, due)
    assert occurrence is not None and occurrence.state is OccurrenceState.FAILED
    entries = await bot.store.audit.recent(10)
    failed = [entry for entry in entries if entry.action == "recurring.occurrence_failed"]
    assert failed and "approval" in str(failed[0].details)
