"""Status notifications: one message per dispatch and person, edited as it moves, and a
new message only for what needs attention."""

from __future__ import annotations

from datetime import timedelta

import pytest

from storage import Role
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import MANAGER_ID, OBSERVER_ID, BotUnderTest
from tests.support.notify import (
    align_clock,
    bot_messages,
    dispatch_gets,
    events_in_chat,
    make_dispatch,
    restart,
    wait_cycles,
)

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def test_manager_follows_a_dispatch_from_queue_to_closed_in_one_edited_message(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    dispatch_id = await make_dispatch(bot, MANAGER_ID, after=timedelta(minutes=1))
    await wait_cycles(bot, 3)
    # Waiting in the queue: nothing the card did not say, and fetched once, not every cycle.
    assert bot_messages(manager) == []
    assert dispatch_gets(bot, dispatch_id) == 1

    bot.emulator.clock.advance(66)  # send time, tariffing, 1 s into sending
    sending = await manager.wait_for_reply(lambda m: "Отправляется" in (m.text or ""))
    assert f"Рассылка №{dispatch_id}" in sending.text
    assert "Сообщений: 3" in sending.text

    bot.emulator.clock.advance(30)  # half sent: the same message, edited
    progress = await manager.wait_for_reply()
    assert progress.message_id == sending.message_id and progress.edit_date is not None

    bot.emulator.clock.advance(35)  # all sent, delivery reports coming in
    delivering = await manager.wait_for_reply(lambda m: "Доставляется" in (m.text or ""))
    assert delivering.message_id == sending.message_id

    bot.emulator.clock.advance(300)  # closed
    final = await manager.wait_for_reply(lambda m: m.message_id != sending.message_id)
    assert f"Рассылка №{dispatch_id} завершена" in final.text
    assert "Доставлено: 3 из 3" in final.text
    assert final.reply_to_message_id == sending.message_id
    assert not final.disable_notification

    # No duplicate over further cycles, and a closed dispatch is not fetched any more.
    await wait_cycles(bot, 2)
    events, gets = events_in_chat(standin, MANAGER_ID), dispatch_gets(bot, dispatch_id)
    await wait_cycles(bot, 4)
    assert events_in_chat(standin, MANAGER_ID) == events
    assert dispatch_gets(bot, dispatch_id) == gets

    shown = bot_messages(manager)
    assert [m.message_id for m in shown] == [sending.message_id, final.message_id]
    assert "Завершена" in shown[0].text and "следит за рассылкой" not in shown[0].text
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.is_final and tracked.last_status == "CLOSED"


async def test_a_dispatch_scheduled_for_next_week_is_fetched_as_its_time_comes(
    bot: BotUnderTest, manager: SimUser
):
    dispatch_id = await make_dispatch(bot, MANAGER_ID, after=timedelta(days=7))
    await wait_cycles(bot, 5)
    assert dispatch_gets(bot, dispatch_id) == 1

    bot.emulator.clock.advance(timedelta(days=7, seconds=10).total_seconds())
    reply = await manager.wait_for_reply()
    assert "Отправляется" in reply.text


async def test_restart_in_the_middle_of_a_dispatch_neither_repeats_nor_misses(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(10)
    sending = await manager.wait_for_reply(lambda m: "Отправляется" in (m.text or ""))

    await restart(bot)
    await wait_cycles(bot, 3)
    assert [m.message_id for m in bot_messages(manager)] == [sending.message_id]

    # It closes while the bot is down: the next process edits and tells, once.
    await bot.stop()
    bot.emulator.clock.advance(600)
    await bot.start()
    align_clock(bot)
    final = await manager.wait_for_reply(lambda m: m.message_id != sending.message_id)
    assert f"Рассылка №{dispatch_id} завершена" in final.text
    await wait_cycles(bot, 3)
    shown = bot_messages(manager)
    assert [m.message_id for m in shown] == [sending.message_id, final.message_id]
    assert "Завершена" in shown[0].text
    sent = [c for c in standin.calls_to("sendMessage") if c.params["chat_id"] == MANAGER_ID]
    assert len(sent) == 2


async def test_cancelled_while_queued_gets_one_message_with_the_card(
    bot: BotUnderTest, manager: SimUser
):
    dispatch_id = await make_dispatch(bot, MANAGER_ID, after=timedelta(hours=3))
    await wait_cycles(bot, 2)
    assert bot_messages(manager) == []
    assert bot.app is not None
    await bot.app.sms.cancel_dispatch(dispatch_id)
    # Whoever cancels through the bot says so; the next cycle looks at it.
    assert await bot.store.dispatches.check_soon(dispatch_id)
    message = await manager.wait_for_reply()
    assert f"Рассылка №{dispatch_id} отменена" in message.text
    assert "Статус:" in message.text and "Отменена" in message.text  # with the card
    await wait_cycles(bot, 3)
    assert len(bot_messages(manager)) == 1


async def test_team_lead_with_all_dispatches_hears_of_a_dispatch_they_do_not_follow(
    bot: BotUnderTest, manager: SimUser
):
    lead = await bot.user(OBSERVER_ID, Role.OBSERVER, language="en", first_name="Lena")
    await bot.store.alerts.update(OBSERVER_ID, all_dispatches=True)
    await bot.store.alerts.update(MANAGER_ID, my_dispatches=False)
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(10)

    message = await lead.wait_for_reply()
    assert f"Dispatch #{dispatch_id}" in message.text and "Sending" in message.text
    assert "follows the dispatch" in message.text
    await wait_cycles(bot, 2)
    assert bot_messages(manager) == []  # they switched their own dispatches off


async def test_someone_who_follows_later_hears_of_changes_from_then_on(
    bot: BotUnderTest, manager: SimUser, observer: SimUser
):
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(70)  # all sent: delivery reports coming in
    await manager.wait_for_reply(lambda m: "Доставляется" in (m.text or ""))
    await wait_cycles(bot, 1)

    await bot.store.subscriptions.subscribe(dispatch_id, OBSERVER_ID)
    await wait_cycles(bot, 3)
    assert bot_messages(observer) == []  # nothing moved since they saw the card

    bot.emulator.clock.advance(100)  # the first delivery report
    update = await observer.wait_for_reply()
    assert f"Рассылка №{dispatch_id}" in update.text and "Доставляется" in update.text
