"""A schedule set up in the chat keeps exactly one next occurrence created at the SMS API,
with its send time: once for a double Save, once across a restart, once for a lost answer,
and the one after it once the moment has come."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import DraftState, OccurrenceState, ScheduleState
from testbed.emulator.models import DispatchStatus
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.notify import restart
from tests.support.recurring import (
    MOSCOW,
    advance,
    create_bodies,
    minute_after,
    only_schedule,
    set_up_daily,
    wait_passes,
    wall_clock,
)
from tests.support.send import BOOK1_PHONES, RU, creates, reply_with
from tests.support.texts import plain

pytestmark = pytest.mark.usefixtures("aligned_clock")


def api_date(moment) -> str:  # type: ignore[no-untyped-def]
    return moment.astimezone(MOSCOW).strftime("%d.%m.%Y %H:%M:%S")


async def test_a_double_save_makes_one_schedule_and_one_create_with_its_send_time(
    bot: BotUnderTest, manager: SimUser
) -> None:
    due = minute_after(bot, timedelta(hours=2))
    card = await set_up_daily(manager, wall_clock(due), text="Доброе утро!", double_save=True)
    schedule = await only_schedule(bot)
    assert plain(RU("recurring.saved", id=schedule.id)) in (card.text or "")
    assert schedule.next_due == due and schedule.state is ScheduleState.ACTIVE
    await wait_passes(bot)
    assert len(creates(bot)) == 1
    body = create_bodies(bot)[0]
    assert body["message"] == "Доброе утро!"
    assert body["dateSend"] == api_date(due)  # the operator does the timing
    assert sorted(body["phonesList"]) == sorted(BOOK1_PHONES)  # the book, read now
    dispatch_id = max(bot.emulator.state.dispatches)
    assert bot.emulator.state.dispatches[dispatch_id].status is DispatchStatus.IN_QUEUE
    # Recorded as a dispatch the owner sent: followed, with the owner subscribed.
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.creator_id == manager.user_id
    assert tracked.date_send == due
    subscribers = await bot.store.subscriptions.subscribers(dispatch_id)
    assert [s.user_id for s in subscribers] == [manager.user_id]
    # The card, reopened, says it is created already, with its number.
    await manager.send_text("/recurring")
    listing = await reply_with(manager, "№1")
    await manager.tap(next(b["text"] for b in listing.buttons if "№1" in b["text"]), listing)
    opened = await reply_with(manager, f"№{dispatch_id}")
    assert wall_clock(due) in (opened.text or "")


async def test_a_restart_does_not_create_the_occurrence_again(
    bot: BotUnderTest, manager: SimUser
) -> None:
    due = minute_after(bot, timedelta(hours=3))
    await set_up_daily(manager, wall_clock(due))
    await wait_passes(bot)
    assert len(creates(bot)) == 1
    await restart(bot)  # a bot rebuilt on the same database
    await wait_passes(bot, 3)
    assert len(creates(bot)) == 1
    schedule = await only_schedule(bot)
    occurrence = await bot.store.recurring.occurrence(schedule.id, schedule.version, due)
    assert occurrence is not None and occurrence.draft_state is DraftState.SENT


async def test_when_its_moment_passes_the_next_one_is_created_and_the_owner_follows_it(
    bot: BotUnderTest, manager: SimUser
) -> None:
    due = minute_after(bot, timedelta(hours=2))
    await set_up_daily(manager, wall_clock(due))
    await wait_passes(bot)
    first = max(bot.emulator.state.dispatches)
    await advance(bot, due - bot.emulator.clock.now() + timedelta(minutes=1))
    await wait_passes(bot)
    assert len(creates(bot)) == 2
    assert create_bodies(bot)[1]["dateSend"] == api_date(due + timedelta(days=1))
    schedule = await only_schedule(bot)
    assert schedule.next_due == due + timedelta(days=1)
    fired = await bot.store.recurring.occurrence(schedule.id, schedule.version, due)
    assert fired is not None and fired.state is OccurrenceState.FIRED
    # The operator sent the first one by itself; the poller tells its owner as it moves.
    bot.emulator.state.hurry_dispatch(first)  # TARIFFING -> ACTIVE
    await reply_with(manager, f"№{first}")


async def test_a_lost_create_answer_is_never_sent_again(
    bot: BotUnderTest, manager: SimUser
) -> None:
    bot.emulator.state.faults.update({"lose_create_rate": 1.0})
    due = minute_after(bot, timedelta(hours=2))
    await set_up_daily(manager, wall_clock(due))
    await wait_passes(bot, 3)
    bot.emulator.state.faults.update({"lose_create_rate": 0.0})
    await wait_passes(bot, 3)
    await restart(bot)
    await wait_passes(bot, 3)
    assert len(creates(bot)) == 1  # created once at the emulator; its answer was lost
    schedule = await only_schedule(bot)
    occurrence = await bot.store.recurring.occurrence(schedule.id, schedule.version, due)
    assert occurrence is not None and occurrence.draft_state is DraftState.UNKNOWN
    search = await bot.store.lost_creates.get(occurrence.draft_id or "")
    assert search is not None and search.date_send == due  # it is looked for, by its traits
