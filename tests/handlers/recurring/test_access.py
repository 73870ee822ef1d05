"""Who may: managers and admins create schedules; a manager manages their own, an admin
everyone's; an observer none, whatever buttons they forge."""

from __future__ import annotations

from datetime import timedelta

import pytest

from handlers.recurring.callbacks import (
    ScheduleAction,
    ScheduleCallback,
    SetupAction,
    SetupCallback,
)
from storage import Role, ScheduleState
from testbed.emulator.models import DispatchStatus
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.notify import forge_tap
from tests.support.recurring import (
    list_head,
    minute_after,
    only_schedule,
    set_up_daily,
    wait_passes,
    wall_clock,
)
from tests.support.send import RU, creates, reply_with

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def test_an_observer_is_told_they_can_only_read(bot: BotUnderTest, observer: SimUser) -> None:
    await observer.send_text("/recurring")
    answer = await reply_with(observer, RU("recurring.read_only")[:20])
    assert answer.text == RU("recurring.read_only")
    assert not answer.inline_keyboard
    menu = [b["text"] for row in (observer.reply_keyboard or {}).get("keyboard", []) for b in row]
    assert RU("menu.recurring") not in menu


async def test_an_observers_forged_buttons_do_nothing(
    bot: BotUnderTest, manager: SimUser, observer: SimUser, standin: BotApiStandin
) -> None:
    await set_up_daily(manager, wall_clock(minute_after(bot, timedelta(hours=2))))
    await wait_passes(bot)
    await observer.send_text("/start")
    greeting = await reply_with(observer, "Olga")
    for action in (ScheduleAction.PAUSE, ScheduleAction.DELETE_YES, ScheduleAction.NEW):
        data = ScheduleCallback(action=action, schedule_id=1).pack()
        answered = await forge_tap(standin, observer, greeting, data)
        assert answered.text == RU("recurring.read_only")
    schedule = await only_schedule(bot)
    assert schedule.state is ScheduleState.ACTIVE
    newest = bot.emulator.state.dispatches[max(bot.emulator.state.dispatches)]
    assert newest.status is DispatchStatus.IN_QUEUE
    assert len(creates(bot)) == 1


async def test_a_manager_cannot_touch_another_managers_schedule(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
) -> None:
    await set_up_daily(manager, wall_clock(minute_after(bot, timedelta(hours=2))))
    await wait_passes(bot)
    other = await bot.user(2001, Role.MANAGER, first_name="Mila")
    await other.send_text("/recurring")
    listing = await reply_with(other, RU("recurring.list_empty")[:20])  # not theirs to see
    for action in (ScheduleAction.OPEN, ScheduleAction.PAUSE, ScheduleAction.DELETE_YES):
        data = ScheduleCallback(action=action, schedule_id=1).pack()
        answered = await forge_tap(standin, other, listing, data)
        assert answered.text == RU("recurring.not_yours")
    assert (await only_schedule(bot)).state is ScheduleState.ACTIVE
    refusals = [e for e in await bot.store.audit.recent(20) if e.action == "recurring.forbidden"]
    assert len(refusals) == 3 and all(e.actor_id == 2001 for e in refusals)


async def test_callback_data_stays_under_64_bytes() -> None:
    biggest = ScheduleCallback(action=ScheduleAction.DELETE_YES, schedule_id=2**31, value=2**31)
    assert len(biggest.pack().encode()) < 64
    token = "f" * 12
    assert len(SetupCallback(action=SetupAction.SAVE, token=token, value=2**31).pack()) < 64


async def test_the_menu_and_help_lead_managers_to_it_and_not_observers(
    bot: BotUnderTest, manager: SimUser, observer: SimUser
) -> None:
    await manager.send_text("/start")
    await reply_with(manager, "Max")
    await manager.tap_reply(RU("menu.recurring"))
    await reply_with(manager, list_head())
    await manager.send_text("/help")
    help_text = await reply_with(manager, "/recurring")
    assert RU("start.help_recurring") in (help_text.text or "")
    await observer.send_text("/help")
    observer_help = await reply_with(observer, "/balance")
    assert "/recurring" not in (observer_help.text or "")
