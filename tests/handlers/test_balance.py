"""/balance: all six fields of the API and what can be spent now."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from storage import Role
from testbed.emulator import RunningEmulator
from testbed.emulator.models import CreditLimit
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest


async def test_balance_shows_every_field_of_the_seed_in_russian(observer: SimUser):
    await observer.send_text("/balance")
    text = (await observer.wait_for_reply()).text or ""
    assert "Баланс: 42,00\u00a0₽" in text
    assert "На начало периода: 66,00\u00a0₽" in text
    assert "Лимит баланса: 100,00\u00a0₽" in text
    assert "Платежи за период: 200,00\u00a0₽" in text
    assert "Расходы за период: 100,00\u00a0₽" in text
    assert "Кредитный лимит: 200,00\u00a0₽, 01.01.2019 – 01.02.2019, сегодня не действует" in text
    assert "Доступно сейчас: 42,00\u00a0₽" in text  # the credit ended in 2019
    assert "баланс плюс кредитный лимит" in text and "время MSK" in text  # not the zone key


async def test_balance_in_english_from_the_menu_button(bot: BotUnderTest):
    user = await bot.user(2300, Role.MANAGER, language="en")
    await user.send_text("💰 Balance")
    text = (await user.wait_for_reply()).text or ""
    for line in (
        "Balance: ₽42.00",
        "At the start of the period: ₽66.00",
        "Balance limit: ₽100.00",
        "Payments this period: ₽200.00",
        "Fees this period: ₽100.00",
        "Credit limit: ₽200.00, 01.01.2019 – 01.02.2019, not in force today",
        "Available now: ₽42.00",
    ):
        assert line in text


async def test_credit_in_force_today_counts_in_what_is_available(
    manager: SimUser, emulator: RunningEmulator
):
    today = date.today()
    emulator.state.set_credit_limit(
        CreditLimit(Decimal(500), today - timedelta(days=2), today + timedelta(days=2))
    )
    emulator.state.set_balance(Decimal("1234.5"))
    await manager.send_text("/balance")
    text = (await manager.wait_for_reply()).text or ""
    assert "Баланс: 1\u00a0234,50\u00a0₽" in text
    assert "действует сегодня" in text
    assert "Доступно сейчас: 1\u00a0734,50\u00a0₽" in text


async def test_no_credit_at_all(manager: SimUser, emulator: RunningEmulator):
    emulator.state.set_credit_limit(None)
    await manager.send_text("/balance")
    text = (await manager.wait_for_reply()).text or ""
    assert "Кредитный лимит: нет" in text
    assert "Доступно сейчас: 42,00\u00a0₽" in text


async def test_refresh_edits_only_when_the_balance_changed(
    manager: SimUser, emulator: RunningEmulator, standin: BotApiStandin
):
    await manager.send_text("/balance")
    shown = await manager.wait_for_reply()
    await manager.tap("🔄 Обновить")
    assert (await manager.wait_for_callback_answer()).text == "Изменений нет."
    assert standin.calls_to("editMessageText") == []

    emulator.state.add_balance(Decimal(8))
    await manager.tap("🔄 Обновить")
    edited = await manager.wait_for_reply()
    assert edited.message_id == shown.message_id
    assert "Баланс: 50,00\u00a0₽" in (edited.text or "")
    assert "Платежи за период: 208,00\u00a0₽" in (edited.text or "")


async def test_balance_when_the_sms_service_is_down(manager: SimUser, emulator: RunningEmulator):
    emulator.state.faults.update({"down": True})
    await manager.send_text("/balance")
    reply = await manager.wait_for_reply()
    assert reply.text == "SMS-сервис не отвечает, попробуйте ещё раз чуть позже."
