"""Delivery that Telegram accepts: its limits, a 429, a user who blocked the bot, and an
SMS API that is down for a while."""

from __future__ import annotations

from decimal import Decimal
from itertools import pairwise

import pytest

from storage import Role
from testbed.standin import BotApiStandin, FloodLimits, SimUser, StandinMessage
from tests.support.harness import MANAGER_ID, OBSERVER_ID, BotUnderTest
from tests.support.notify import (
    bot_messages,
    make_dispatch,
    restart,
    sends_to,
    wait_cycles,
)

pytestmark = pytest.mark.usefixtures("aligned_clock")


def is_status(message: StandinMessage) -> bool:
    return "Отправляется" in (message.text or "") or "Sending" in (message.text or "")


async def test_a_429_is_waited_out_and_the_message_still_arrives(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    await make_dispatch(bot, MANAGER_ID)
    standin.retry_after_next("sendMessage", 1)
    bot.emulator.clock.advance(10)

    message = await manager.wait_for_reply(is_status)
    refused, delivered = sends_to(standin, MANAGER_ID)
    assert refused.status == 429 and delivered.status == 200
    assert delivered.time - refused.time >= 1.0
    await wait_cycles(bot, 2)
    assert [m.message_id for m in bot_messages(manager)] == [message.message_id]


async def test_a_user_who_blocked_the_bot_is_skipped_and_the_others_hear(
    bot: BotUnderTest, manager: SimUser, observer: SimUser, standin: BotApiStandin
):
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    await bot.store.subscriptions.subscribe(dispatch_id, OBSERVER_ID)
    await observer.block_bot()
    bot.emulator.clock.advance(10)

    first = await manager.wait_for_reply(is_status)
    bot.emulator.clock.advance(30)
    edited = await manager.wait_for_reply()
    assert edited.message_id == first.message_id
    bot.emulator.clock.advance(400)
    await manager.wait_for_reply(lambda m: "завершена" in (m.text or ""))

    tries = sends_to(standin, OBSERVER_ID)
    assert [call.status for call in tries] == [403]  # tried once, then left alone
    profile = await bot.store.users.get(OBSERVER_ID)
    assert profile is not None and not profile.active
    await wait_cycles(bot, 1)
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.is_final  # nobody held the dispatch up


async def test_many_messages_at_once_stay_within_telegrams_limits(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    standin.enable_flood_control(FloodLimits())
    followers = [
        await bot.user(5000 + n, Role.OBSERVER, language="en", first_name=f"F{n}")
        for n in range(40)
    ]
    shared = await make_dispatch(bot, MANAGER_ID)
    for follower in followers:
        await bot.store.subscriptions.subscribe(shared, follower.user_id)
    own = [await make_dispatch(bot, MANAGER_ID) for _ in range(3)]  # one chat, four messages
    bot.emulator.clock.advance(10)

    for follower in followers:
        await follower.wait_for_reply(is_status)
    for _ in [shared, *own]:
        await manager.wait_for_reply(is_status)
    assert standin.rate_limited_count == 0
    to_manager = sends_to(standin, MANAGER_ID)
    gaps = [b.time - a.time for a, b in pairwise(to_manager)]
    assert len(to_manager) == 4 and min(gaps) >= 0.95


async def test_sms_api_down_for_several_cycles_gives_one_alert_and_one_recovery(
    bot: BotUnderTest, admin: SimUser
):
    await admin.send_text("/start")
    await admin.wait_for_reply()
    bot.emulator.state.faults.update({"down": True})

    alert = await admin.wait_for_reply(lambda m: "недоступен" in (m.text or ""), timeout=20)
    assert "SMS-сервис недоступен" in alert.text and "3 проверки подряд" in alert.text
    await wait_cycles(bot, 2)
    await restart(bot)  # a restart in the middle of the outage does not alert again
    await wait_cycles(bot, 3)
    down = [m for m in bot_messages(admin) if "недоступен" in (m.text or "")]
    assert len(down) == 1

    bot.emulator.state.faults.update({"down": False})
    back = await admin.wait_for_reply(lambda m: "снова работает" in (m.text or ""))
    assert "был недоступен с" in back.text
    await wait_cycles(bot, 3)
    assert len([m for m in bot_messages(admin) if "снова работает" in (m.text or "")]) == 1


async def test_a_rejected_token_is_named_in_the_outage_alert(bot: BotUnderTest, admin: SimUser):
    bot.emulator.state.blocked = True
    alert = await admin.wait_for_reply(lambda m: "недоступен" in (m.text or ""), timeout=20)
    assert "не принимает токен" in alert.text
    assert bot.settings.SMS_API_TOKEN.get_secret_value() not in alert.text


async def test_statuses_wait_during_an_outage_and_come_after_it(
    bot: BotUnderTest, manager: SimUser
):
    await make_dispatch(bot, MANAGER_ID)
    bot.emulator.state.faults.update({"down": True})
    bot.emulator.clock.advance(10)
    await wait_cycles(bot, 2)
    assert bot_messages(manager) == []
    bot.emulator.state.faults.update({"down": False})
    await manager.wait_for_reply(is_status)


async def test_low_balance_subscriber_who_blocked_the_bot_hears_after_coming_back(
    bot: BotUnderTest, observer: SimUser, standin: BotApiStandin
):
    await observer.block_bot()
    await bot.store.alerts.update(OBSERVER_ID, low_balance=True, threshold=Decimal(100))
    await wait_cycles(bot, 3)
    assert [call.status for call in sends_to(standin, OBSERVER_ID)] == [403]
    assert (await bot.store.alerts.get_or_default(OBSERVER_ID)).armed  # not told: still armed

    await observer.unblock_bot()
    await observer.send_text("/start")
    alert = await observer.wait_for_reply(lambda m: "Низкий баланс" in (m.text or ""))
    assert "Доступно: 42,00\u00a0₽" in alert.text
