"""A send as a manager makes it on a phone: from /send to the final notification, the
taps it takes and the messages it leaves in the chat."""

from __future__ import annotations

from testbed.emulator import RunningEmulator
from testbed.standin import SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.notify import align_clock, wait_cycles
from tests.support.send import RU, WAIT, prompt_with, reply_with

MOST_TAPS = 4
MOST_BOT_MESSAGES = 4


async def with_button(user: SimUser, label: str) -> StandinMessage:
    return await user.wait_for_reply(lambda m: label in m.button_texts(), WAIT)


async def test_a_send_to_a_book_now_takes_few_taps_and_leaves_few_messages(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    align_clock(bot)
    taps = 0
    await manager.send_text("/send")
    step = await with_button(manager, "name1")
    await manager.tap("name1", step)
    taps += 1
    await prompt_with(manager, "Шаг 2 из 3")
    await manager.send_text("Скидки до пятницы")
    step = await with_button(manager, RU("send.button_now"))
    await manager.tap(RU("send.button_now"), step)
    taps += 1
    summary = await with_button(manager, RU("send.button_confirm"))
    await manager.tap(RU("send.button_confirm"), summary)
    taps += 1
    card = await reply_with(manager, "№")
    dispatch_id = max(emulator.state.dispatches)
    assert f"№{dispatch_id}" in (card.text or "")
    emulator.clock.advance(400)  # tariffed, sent, delivered, closed
    await wait_cycles(bot, 3)
    await reply_with(manager, RU("status.CLOSED"))
    bot_messages = [m for m in manager.messages if m.from_bot]
    print(f"taps: {taps}, new bot messages: {len(bot_messages)}")
    assert taps <= MOST_TAPS
    assert len(bot_messages) <= MOST_BOT_MESSAGES, [m.text[:40] for m in bot_messages]
