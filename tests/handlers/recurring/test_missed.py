"""An occurrence missed because the bot was down longer than the lead time is reported to
its owner and not sent late, unless the schedule says "send late"."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.recurring import LEAD
from storage import OccurrenceState
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.notify import align_clock
from tests.support.recurring import (
    create_bodies,
    minute_after,
    only_schedule,
    set_up_daily,
    wait_passes,
    wall_clock,
)
from tests.support.send import RU, creates, reply_with
from tests.support.texts import CUT, head

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def down_for_two_days(bot: BotUnderTest) -> None:
    """The bot stops, two days pass (more than the lead), the bot starts again."""
    await bot.stop()
    bot.emulator.state.advance_clock((2 * LEAD).total_seconds())
    await bot.start()
    align_clock(bot)


async def test_a_missed_occurrence_is_reported_and_not_sent(
    bot: BotUnderTest, manager: SimUser
) -> None:
    due = minute_after(bot, timedelta(hours=2))
    await set_up_daily(manager, wall_clock(due))
    await wait_passes(bot)
    assert len(creates(bot)) == 1  # today's: created ahead, the operator sends it
    await down_for_two_days(bot)
    missed_head = head(RU.plural("recurring.missed", 1, id=1, rule=CUT, moments=CUT))
    report = await reply_with(manager, missed_head)
    assert wall_clock(due) in (report.text or "")
    await wait_passes(bot)
    # Tomorrow's was never created (the bot was down); the day after's is, ahead, in time.
    bodies = create_bodies(bot)
    assert len(bodies) == 2
    assert "dateSend" in bodies[1]
    schedule = await only_schedule(bot)
    assert schedule.next_due == due + timedelta(days=2)
    missed = await bot.store.recurring.occurrence(
        schedule.id, schedule.version, due + timedelta(days=1)
    )
    assert missed is not None and missed.state is OccurrenceState.MISSED
    assert missed.draft_id is None  # nothing was ever sent for it
    entries = [entry.action for entry in await bot.store.audit.recent(20)]
    assert "recurring.missed" in entries
    await wait_passes(bot, 3)
    assert len(creates(bot)) == 2  # and it is reported once, not again
    assert sum(missed_head in (m.text or "") for m in manager.messages) == 1


async def test_with_send_late_the_latest_missed_one_goes_out_at_once(
    bot: BotUnderTest, manager: SimUser
) -> None:
    due = minute_after(bot, timedelta(hours=2))
    card = await set_up_daily(manager, wall_clock(due))
    await manager.tap(RU("recurring.button_late_on"), card)
    await reply_with(manager, RU("recurring.card_late_on"))
    await wait_passes(bot)
    await down_for_two_days(bot)
    late = await reply_with(
        manager, head(RU("recurring.sent_late", id=1, rule=CUT, moment=CUT, dispatch=CUT))
    )
    await wait_passes(bot)
    bodies = create_bodies(bot)
    assert len(bodies) == 3
    assert "dateSend" not in bodies[1]  # the missed one: now
    assert "dateSend" in bodies[2]  # the day after's: ahead, in time
    late_id = sorted(bot.emulator.state.dispatches)[-2]
    assert f"№{late_id}" in (late.text or "")
    schedule = await only_schedule(bot)
    sent_late = await bot.store.recurring.occurrence(
        schedule.id, schedule.version, due + timedelta(days=1)
    )
    assert sent_late is not None and sent_late.late
    assert sent_late.state is OccurrenceState.FIRED and sent_late.created
