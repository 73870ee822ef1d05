"""/alerts: one screen of toggles, a typed threshold and quiet hours, mutes."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

import pytest

from storage import Role
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import MANAGER_ID, OBSERVER_ID, BotUnderTest
from tests.support.notify import forge_tap

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def open_screen(user: SimUser, command: str = "/alerts"):
    await user.send_text(command)
    return await user.wait_for_reply(lambda m: bool(m.buttons))


async def test_manager_switches_all_dispatches_on_and_off_in_place(
    bot: BotUnderTest, manager: SimUser
):
    screen = await open_screen(manager)
    assert "Уведомления" in screen.text
    assert "✅ Мои рассылки" in screen.text and "▫️ Все рассылки" in screen.text
    assert "Доступная сумма = баланс плюс кредитный лимит" in screen.text

    await manager.tap("▫️ Все рассылки", screen)
    edited = await manager.wait_for_reply()
    assert edited.message_id == screen.message_id
    assert "✅ Все рассылки" in edited.button_texts()
    assert (await bot.store.alerts.get_or_default(MANAGER_ID)).all_dispatches

    await manager.tap("✅ Все рассылки", edited)
    again = await manager.wait_for_reply()
    assert "▫️ Все рассылки" in again.button_texts()
    assert not (await bot.store.alerts.get_or_default(MANAGER_ID)).all_dispatches


async def test_observer_in_english_opens_it_from_the_menu_and_turns_low_balance_on(
    bot: BotUnderTest,
):
    observer = await bot.user(OBSERVER_ID, Role.OBSERVER, language="en", first_name="Olga")
    await observer.send_text("/start")
    await observer.wait_for_reply()
    screen = await open_screen(observer, "🔔 Notifications")
    assert "Notifications" in screen.text and "▫️ Low balance" in screen.text
    assert "below ₽0.00" in screen.text  # the tests' BALANCE_THRESHOLD
    await observer.tap("▫️ Low balance", screen)
    edited = await observer.wait_for_reply()
    assert "✅ Low balance" in edited.button_texts()
    assert (await bot.store.alerts.get_or_default(OBSERVER_ID)).low_balance


@pytest.mark.parametrize("typed", ["abc", "-5", "1e3", "12.345", "2000000000", "", "150 рублей"])
async def test_a_threshold_that_is_not_an_amount_is_asked_again(
    bot: BotUnderTest, manager: SimUser, typed: str
):
    screen = await open_screen(manager)
    await manager.tap("✏️ Порог: 0,00\u00a0₽", screen)
    question = await manager.wait_for_reply()
    assert "Напишите порог" in question.text
    await manager.send_text(typed or " ")
    refusal = await manager.wait_for_reply()
    assert "Это не сумма" in refusal.text
    await manager.send_text("150,5")
    saved = await manager.wait_for_reply()
    assert saved.text == "✅ Порог: 150,50\u00a0₽."
    assert (await bot.store.alerts.get_or_default(MANAGER_ID)).threshold == Decimal("150.5")
    fresh = await manager.wait_for_reply()
    assert "✏️ Порог: 150,50\u00a0₽" in fresh.button_texts()


async def test_a_sticker_instead_of_the_threshold_gets_a_hint_and_the_question_stays(
    bot: BotUnderTest, manager: SimUser
):
    screen = await open_screen(manager)
    await manager.tap("✏️ Порог: 0,00\u00a0₽", screen)
    await manager.wait_for_reply()
    await manager.send_sticker()
    assert "Напишите значение текстом" in (await manager.wait_for_reply()).text
    await manager.send_text("1 000")
    assert (await manager.wait_for_reply()).text == "✅ Порог: 1\u00a0000,00\u00a0₽."


async def test_cancel_keeps_the_threshold(bot: BotUnderTest, manager: SimUser):
    screen = await open_screen(manager)
    await manager.tap("✏️ Порог: 0,00\u00a0₽", screen)
    await manager.wait_for_reply()
    await manager.send_text("/cancel")
    await manager.wait_for_reply()
    await manager.send_text("150")
    answer = await manager.wait_for_reply()
    assert "Порог" not in answer.text
    assert (await bot.store.alerts.get_or_default(MANAGER_ID)).threshold == Decimal(0)


async def test_quiet_hours_typed_shown_and_switched_off(bot: BotUnderTest, manager: SimUser):
    screen = await open_screen(manager)
    await manager.tap("🌙 Задать тихие часы", screen)
    assert "22:00-08:00" in (await manager.wait_for_reply()).text
    await manager.send_text("25:00-08:00")
    assert "два времени суток" in (await manager.wait_for_reply()).text
    await manager.send_text("22:00-22:00")
    assert "должны различаться" in (await manager.wait_for_reply()).text
    await manager.send_text("22:30 – 7")
    assert (await manager.wait_for_reply()).text == "✅ Тихие часы: 22:30–07:00."
    fresh = await manager.wait_for_reply()
    assert "Тихие часы: 22:30–07:00 (MSK)" in fresh.text
    settings = await bot.store.alerts.get_or_default(MANAGER_ID)
    assert (settings.quiet_from, settings.quiet_to) == (22 * 60 + 30, 7 * 60)

    await manager.tap("☀️ Без тихих часов", fresh)
    off = await manager.wait_for_reply()
    assert "Тихие часы: выключены" in off.text
    assert (await bot.store.alerts.get_or_default(MANAGER_ID)).quiet_from is None


async def test_a_muted_person_sees_until_when_and_can_unmute(bot: BotUnderTest, manager: SimUser):
    until = bot.emulator.clock.now() + timedelta(hours=8)
    await bot.store.alerts.update(MANAGER_ID, muted_until=until)
    screen = await open_screen(manager)
    assert "Не беспокоить до" in screen.text
    await manager.tap("🔔 Включить уведомления", screen)
    answer = await manager.wait_for_callback_answer()
    assert answer.text == "🔔 Уведомления снова включены."
    edited = await manager.wait_for_reply()
    assert "Не беспокоить" not in edited.text
    assert (await bot.store.alerts.get_or_default(MANAGER_ID)).muted_until is None


async def test_a_forged_screen_button_changes_nothing(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    screen = await open_screen(manager)
    before = await bot.store.alerts.get_or_default(MANAGER_ID)
    answer = await forge_tap(standin, manager, screen, "nt:zz")
    assert answer.show_alert
    assert await bot.store.alerts.get_or_default(MANAGER_ID) == before


async def test_a_stranger_gets_no_alerts_screen(bot: BotUnderTest, stranger: SimUser):
    await stranger.send_text("/alerts")
    reply = await stranger.wait_for_reply()
    assert "Уведомления" not in reply.text and "Notifications" not in reply.text
    assert not any(b.startswith(("✅", "▫️")) for b in reply.button_texts())
