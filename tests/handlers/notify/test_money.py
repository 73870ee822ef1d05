"""NOT_ENOUGH_MONEY: an alert with a Re-run button for those whose role allows it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from testbed.standin import SimUser, StandinMessage
from tests.support.harness import MANAGER_ID, OBSERVER_ID, BotUnderTest
from tests.support.notify import bot_messages, make_dispatch, wait_cycles

pytestmark = pytest.mark.usefixtures("aligned_clock")


def is_money_alert(message: StandinMessage) -> bool:
    return "недостаточно средств" in (message.text or "")


async def test_not_enough_money_alerts_once_and_its_rerun_button_works(
    bot: BotUnderTest, manager: SimUser, observer: SimUser
):
    bot.emulator.state.set_balance(Decimal("1"))
    dispatch_id = await make_dispatch(bot, MANAGER_ID)  # 3 SMS, 1.00 on the account
    await bot.store.subscriptions.subscribe(dispatch_id, OBSERVER_ID)
    bot.emulator.clock.advance(6)

    alert = await manager.wait_for_reply(is_money_alert)
    assert f"Рассылка №{dispatch_id} остановлена" in alert.text
    assert "Доступно сейчас: 1,00\u00a0₽" in alert.text
    assert alert.button_texts() == [
        "▶️ Перезапустить", "🔕 Без предупреждений 1 ч", "🔕 … на 8 ч", "🔕 … на сутки",
    ]  # fmt: skip
    seen_by_observer = await observer.wait_for_reply(is_money_alert)
    assert "▶️ Перезапустить" not in seen_by_observer.button_texts()  # observers only read

    await wait_cycles(bot, 3)  # no repeat, and the alert is the only message: no card twice
    assert [m.message_id for m in bot_messages(manager)] == [alert.message_id]
    assert len(bot_messages(observer)) == 1

    bot.emulator.state.set_balance(Decimal("100"))
    await manager.tap("▶️ Перезапустить", alert)
    confirmation = await manager.wait_for_reply()
    await manager.tap("✅ Да, перезапустить", confirmation)
    await manager.wait_for_reply(lambda m: "перезапущена" in (m.text or ""))

    bot.emulator.clock.advance(10)
    sending = await manager.wait_for_reply(lambda m: "Отправляется" in (m.text or ""))
    assert f"Рассылка №{dispatch_id}" in sending.text
    assert len([m for m in bot_messages(manager) if is_money_alert(m)]) == 1


async def test_not_enough_money_again_after_a_rerun_alerts_again(
    bot: BotUnderTest, manager: SimUser
):
    bot.emulator.state.set_balance(Decimal("1"))
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(6)
    await manager.wait_for_reply(is_money_alert)

    assert bot.app is not None
    await bot.app.sms.run_dispatch(dispatch_id)  # re-run elsewhere, still no money
    await wait_cycles(bot, 2)
    bot.emulator.clock.advance(6)
    await manager.wait_for_reply(is_money_alert)
    assert len([m for m in bot_messages(manager) if is_money_alert(m)]) == 2


async def test_who_switched_money_alerts_off_gets_the_status_message_instead(
    bot: BotUnderTest, manager: SimUser
):
    await bot.store.alerts.update(MANAGER_ID, not_enough_money=False)
    bot.emulator.state.set_balance(Decimal("1"))
    await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(6)
    message = await manager.wait_for_reply()
    # The live card, not an alert: its own buttons (a manager may re-run it), no mute buttons.
    assert "Недостаточно средств" in message.text
    assert "▶️ Перезапустить" in message.button_texts()
    assert not [text for text in message.button_texts() if text.startswith("🔕 Без")]
