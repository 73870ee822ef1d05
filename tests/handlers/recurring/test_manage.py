"""Pause, resume, edit and delete take back or replace the pending occurrence at the SMS
API (its cancel endpoint); an admin's change is told to the owner."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import OccurrenceState, ScheduleState
from testbed.emulator.models import DispatchStatus
from testbed.standin import SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.recurring import (
    card_head,
    create_bodies,
    minute_after,
    only_schedule,
    question,
    set_up_daily,
    wait_passes,
    wall_clock,
)
from tests.support.send import RU, creates, prompt_with, reply_with
from tests.support.texts import CUT, head, plain

pytestmark = pytest.mark.usefixtures("aligned_clock")


def status(bot: BotUnderTest, dispatch_id: int) -> DispatchStatus:
    return bot.emulator.state.dispatches[dispatch_id].status


async def scheduled(bot: BotUnderTest, manager: SimUser) -> tuple[StandinMessage, int]:
    """A daily schedule in two hours, its first occurrence created: the card, the id."""
    card = await set_up_daily(manager, wall_clock(minute_after(bot, timedelta(hours=2))))
    await wait_passes(bot)
    assert len(creates(bot)) == 1
    return card, max(bot.emulator.state.dispatches)


async def test_pause_cancels_the_pending_one_and_resume_creates_a_new_one(
    bot: BotUnderTest, manager: SimUser
) -> None:
    card, first = await scheduled(bot, manager)
    await manager.tap(RU("recurring.button_pause"), card)
    paused = await reply_with(manager, plain(RU("recurring.paused")))
    assert plain(RU("recurring.withdrawn", id=first, moment="")).split(" на ")[0] in (
        paused.text or ""
    )
    assert status(bot, first) is DispatchStatus.CANCELED
    await wait_passes(bot)
    assert len(creates(bot)) == 1  # nothing new while paused
    assert (await only_schedule(bot)).state is ScheduleState.PAUSED

    await manager.tap(RU("recurring.button_resume"), paused)
    await reply_with(manager, plain(RU("recurring.resumed")))
    await wait_passes(bot)
    assert len(creates(bot)) == 2
    second = max(bot.emulator.state.dispatches)
    assert status(bot, second) is DispatchStatus.IN_QUEUE
    # The owner is not told "cancelled" by the poller: the card said it already.
    await wait_passes(bot)
    notice = await bot.store.notices.notice(first, manager.user_id)
    assert notice.final_sent


async def test_a_double_tap_on_pause_cancels_once(bot: BotUnderTest, manager: SimUser) -> None:
    card, first = await scheduled(bot, manager)
    pause = next(b for b in card.buttons if b["text"] == RU("recurring.button_pause"))
    for _ in range(2):
        await manager.send_callback(pause["callback_data"], card)
    await reply_with(manager, plain(RU("recurring.already_paused")))
    cancels = bot.sms_requests("/sms-api/dispatches/cancel")
    assert len(cancels) == 1 and status(bot, first) is DispatchStatus.CANCELED


async def test_editing_the_text_replaces_the_pending_one(
    bot: BotUnderTest, manager: SimUser
) -> None:
    card, first = await scheduled(bot, manager)
    await manager.tap(RU("recurring.button_edit_text"), card)
    await prompt_with(manager, question("recurring.question_text", limit=5000))
    await manager.send_text("Новый текст")
    edited = await reply_with(manager, plain(RU("recurring.edited")))
    assert plain(RU("recurring.replaced")) in (edited.text or "")
    assert status(bot, first) is DispatchStatus.CANCELED
    await wait_passes(bot)
    assert len(creates(bot)) == 2
    assert create_bodies(bot)[1]["message"] == "Новый текст"
    assert create_bodies(bot)[1]["dateSend"] == create_bodies(bot)[0]["dateSend"]


async def test_editing_the_time_replaces_the_pending_one_at_the_new_time(
    bot: BotUnderTest, manager: SimUser
) -> None:
    card, first = await scheduled(bot, manager)
    later = minute_after(bot, timedelta(hours=5))
    await manager.tap(RU("recurring.button_edit_time"), card)
    await prompt_with(manager, question("recurring.question_time", zone="MSK"))
    await manager.send_text(wall_clock(later))
    await reply_with(manager, plain(RU("recurring.edited")))
    assert status(bot, first) is DispatchStatus.CANCELED
    await wait_passes(bot)
    schedule = await only_schedule(bot)
    assert schedule.next_due == later
    assert bot.emulator.state.dispatches[max(bot.emulator.state.dispatches)].date_send == later


async def test_editing_the_rule_to_weekly_days(bot: BotUnderTest, manager: SimUser) -> None:
    card, first = await scheduled(bot, manager)
    await manager.tap(RU("recurring.button_edit_rule"), card)
    kinds = await prompt_with(manager, question("recurring.question_kind"))
    await manager.tap(RU("recurring.button_weekly"), kinds)
    days = await prompt_with(manager, question("recurring.question_weekdays"))
    await manager.tap(RU("recurring.button_days_done"), days)  # none ticked yet
    refused = await manager.wait_for_callback_answer()
    assert refused.text == RU("recurring.no_weekdays")
    for day in ("Пн", "Чт"):
        await manager.tap(day, days)
        days = await reply_with(manager, question("recurring.question_weekdays"))
    await manager.tap(RU("recurring.button_days_done"), days)
    edited = await reply_with(manager, plain(RU("recurring.edited")))
    assert "по понедельникам и четвергам" in (edited.text or "")
    assert status(bot, first) is DispatchStatus.CANCELED
    schedule = await only_schedule(bot)
    assert schedule.rule.kind == "weekly" and schedule.rule.weekdays == 0b1001


async def test_delete_cancels_the_pending_one_and_nothing_more_is_created(
    bot: BotUnderTest, manager: SimUser
) -> None:
    card, first = await scheduled(bot, manager)
    await manager.tap(RU("recurring.button_delete"), card)
    asked = await reply_with(manager, plain(RU("recurring.delete_question", id=1)))
    await manager.tap(RU("recurring.button_delete_yes"), asked)
    await reply_with(manager, plain(RU("recurring.deleted", id=1)))
    assert status(bot, first) is DispatchStatus.CANCELED
    await wait_passes(bot)
    assert len(creates(bot)) == 1
    schedule = await bot.store.recurring.get(1)
    assert schedule is not None and schedule.state is ScheduleState.DELETED
    entries = [entry.action for entry in await bot.store.audit.recent(50)]
    assert {"recurring.create", "recurring.occurrence", "recurring.delete"} <= set(entries)
    assert "recurring.occurrence_cancelled" in entries


async def test_a_cancel_the_service_cannot_take_now_is_tried_again_until_done(
    bot: BotUnderTest, manager: SimUser
) -> None:
    card, first = await scheduled(bot, manager)
    bot.emulator.state.faults.update({"down": True})
    await manager.tap(RU("recurring.button_pause"), card)
    paused = await reply_with(manager, plain(RU("recurring.paused")))
    assert "не удалось отменить" in (paused.text or "")
    assert status(bot, first) is DispatchStatus.IN_QUEUE
    schedule = await only_schedule(bot)
    [pending] = await bot.store.recurring.recent(schedule.id, 1)
    assert pending.state is OccurrenceState.CANCELLING
    bot.emulator.state.faults.update({"down": False})
    await reply_with(manager, head(RU("recurring.cancel_done", id=1, moment=CUT)))
    assert status(bot, first) is DispatchStatus.CANCELED


async def test_an_admin_pauses_a_managers_schedule_and_the_manager_hears(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
) -> None:
    _, first = await scheduled(bot, manager)
    await admin.send_text("/recurring")
    listing = await reply_with(admin, card_head().split(" ")[0])
    assert "Max" in (listing.text or "")  # everyone's, with their authors
    await admin.tap(next(b["text"] for b in listing.buttons if "№1" in b["text"]), listing)
    card = await reply_with(admin, card_head(1))
    await admin.tap(RU("recurring.button_pause"), card)
    await reply_with(admin, plain(RU("recurring.paused")))
    told = await reply_with(manager, plain(RU("recurring.told_owner_paused", who="Alla", id=1)))
    assert told.text == plain(RU("recurring.told_owner_paused", who="Alla", id=1))
    assert status(bot, first) is DispatchStatus.CANCELED
