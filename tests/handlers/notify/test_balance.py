"""Low-balance alerts: once per fall below the threshold, with the rule stated."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal
from pathlib import Path

import pytest

from handlers.common.callbacks import MuteCallback
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.emulator.models import CreditLimit
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import ADMIN_ID, OBSERVER_ID, BotUnderTest
from tests.support.notify import align_clock, bot_messages, forge_tap, wait_cycles


@pytest.fixture
async def bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotUnderTest]:
    # The production default: admins are told when less than 100 can be spent. The first
    # admin has a chat with the bot already; the second one has never started it.
    standin.user(ADMIN_ID, first_name="Alla", language_code="ru")
    running = BotUnderTest(
        standin,
        emulator,
        tmp_path / "bot.sqlite3",
        BALANCE_THRESHOLD=100,
        ADMIN_IDS=f"{ADMIN_ID},{SECOND_ADMIN_ID}",
    )
    await running.start()
    align_clock(running)
    yield running
    await running.stop()


def is_low_balance(message: StandinMessage) -> bool:
    return "Низкий баланс" in (message.text or "") or "Low balance" in (message.text or "")


SECOND_ADMIN_ID = 1001


async def test_admin_is_alerted_once_rearmed_when_money_comes_and_alerted_again(
    bot: BotUnderTest, admin: SimUser
):
    first = await admin.wait_for_reply(is_low_balance)
    assert "Доступно: 42,00\u00a0₽" in first.text and "порога 100,00\u00a0₽" in first.text
    assert "кредитный лимит сейчас не действует" in first.text  # the seed's credit ended in 2019
    assert first.button_texts() == ["🔕 Без предупреждений 1 ч", "🔕 … на 8 ч", "🔕 … на сутки"]

    await wait_cycles(bot, 4)  # still low: no repeat
    assert len([m for m in bot_messages(admin) if is_low_balance(m)]) == 1

    bot.emulator.state.set_balance(Decimal("150"))
    await wait_cycles(bot, 2)
    assert (await bot.store.alerts.get_or_default(ADMIN_ID)).armed
    assert len([m for m in bot_messages(admin) if is_low_balance(m)]) == 1

    bot.emulator.state.set_balance(Decimal("99.99"))
    second = await admin.wait_for_reply(is_low_balance)
    assert "Доступно: 99,99\u00a0₽" in second.text
    await wait_cycles(bot, 3)
    assert len([m for m in bot_messages(admin) if is_low_balance(m)]) == 2


async def test_an_admin_who_never_started_the_bot_hears_from_their_first_start(
    bot: BotUnderTest, standin: BotApiStandin
):
    await wait_cycles(bot, 2)  # Telegram refuses to let a bot write first
    profile = await bot.store.users.get(SECOND_ADMIN_ID)
    assert profile is not None and not profile.active

    second = standin.user(SECOND_ADMIN_ID, first_name="Boris", language_code="en")
    await wait_cycles(bot, 2)
    assert bot_messages(second) == []
    await second.send_text("/start")
    alert = await second.wait_for_reply(is_low_balance)
    assert "Available: ₽42.00, below your threshold of ₽100.00" in alert.text
    await wait_cycles(bot, 2)
    assert len([m for m in bot_messages(second) if is_low_balance(m)]) == 1


async def test_credit_in_force_counts_and_its_end_brings_the_alert(bot: BotUnderTest):
    observer = await bot.user(OBSERVER_ID, Role.OBSERVER, language="en", first_name="Olga")
    await bot.store.alerts.update(OBSERVER_ID, low_balance=True, threshold=Decimal(150))
    today = bot.emulator.clock.now().date()
    bot.emulator.state.set_credit_limit(
        CreditLimit(Decimal(200), today - timedelta(days=1), today + timedelta(days=2))
    )
    await wait_cycles(bot, 3)  # 42 + 200 can be spent: above 150
    assert bot_messages(observer) == []

    bot.emulator.clock.advance(timedelta(days=3).total_seconds())  # the credit has ended
    alert = await observer.wait_for_reply(is_low_balance)
    assert "Available: ₽42.00, below your threshold of ₽150.00" in alert.text
    assert "no credit limit is in force now" in alert.text


async def test_credit_in_force_is_named_in_the_alert(bot: BotUnderTest):
    observer = await bot.user(OBSERVER_ID, Role.OBSERVER, language="en", first_name="Olga")
    await bot.store.alerts.update(OBSERVER_ID, low_balance=True, threshold=Decimal(500))
    today = bot.emulator.clock.now().date()
    bot.emulator.state.set_credit_limit(CreditLimit(Decimal(200), None, today))
    alert = await observer.wait_for_reply(is_low_balance)
    assert "Available: ₽242.00" in alert.text
    assert f"credit limit ₽200.00, in force until {today:%d.%m.%Y}" in alert.text


async def test_muted_admin_hears_a_new_fall_only_when_the_mute_ends(
    bot: BotUnderTest, admin: SimUser
):
    alert = await admin.wait_for_reply(is_low_balance)
    await admin.tap("🔕 Без предупреждений 1 ч", alert)
    answer = await admin.wait_for_callback_answer()
    assert answer.text is not None and answer.text.startswith("🔕")
    await wait_cycles(bot, 1)  # the handler stores the mute right after answering
    muted = (await bot.store.alerts.get_or_default(ADMIN_ID)).muted_until
    assert muted == bot.emulator.clock.now() + timedelta(hours=1)

    bot.emulator.state.set_balance(Decimal("150"))
    await wait_cycles(bot, 2)
    bot.emulator.state.set_balance(Decimal("10"))
    await wait_cycles(bot, 3)
    assert len([m for m in bot_messages(admin) if is_low_balance(m)]) == 1

    bot.emulator.clock.advance(3601)
    late = await admin.wait_for_reply(is_low_balance)
    assert "Доступно: 10,00\u00a0₽" in late.text


async def test_a_forged_mute_length_is_refused(bot: BotUnderTest, admin: SimUser, standin):
    alert = await admin.wait_for_reply(is_low_balance)
    answer = await forge_tap(standin, admin, alert, MuteCallback(hours=9999).pack())
    assert answer.show_alert and answer.text == "Эта кнопка больше не действует."
    assert (await bot.store.alerts.get_or_default(ADMIN_ID)).muted_until is None


async def test_in_quiet_hours_the_alert_comes_without_a_sound(bot: BotUnderTest, admin: SimUser):
    assert not (await admin.wait_for_reply(is_low_balance)).disable_notification
    observer = await bot.user(OBSERVER_ID, Role.OBSERVER, language="en", first_name="Olga")
    local = bot.emulator.clock.now().astimezone(bot.settings.timezone)
    minute = local.hour * 60 + local.minute
    await bot.store.alerts.update(
        OBSERVER_ID,
        low_balance=True,
        quiet_from=(minute - 60) % 1440,
        quiet_to=(minute + 60) % 1440,
    )
    alert = await observer.wait_for_reply(is_low_balance)
    assert alert.disable_notification
