"""The main flows against each way a real Spring server plausibly differs from the
reference (the emulator's dialects): the balance, a send to a book, a send to typed
numbers, the card, and the poller's notifications to the creator."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from handlers.common.i18n import translator
from testbed.emulator import RunningEmulator, start_emulator
from testbed.emulator.dialects import DIALECTS
from testbed.standin import SimUser
from tests.support.harness import SMS_TOKEN, BotUnderTest
from tests.support.notify import align_clock, bot_messages, wait_cycles
from tests.support.send import (
    confirm,
    creates,
    prompt_with,
    reply_with,
    send_now,
    start_send,
    summary_for_book,
    text_head,
    type_text,
)
from tests.support.texts import CUT, plain

RU = translator("ru")
# Dialects that leave every flow as it is on the reference server.
TRANSPARENT = sorted(set(DIALECTS) - {"create_no_body", "login_redirect"})


@pytest.fixture(params=sorted(DIALECTS))
async def emulator(request: pytest.FixtureRequest) -> AsyncIterator[RunningEmulator]:
    running = await start_emulator(token=SMS_TOKEN, speed=0, dialects=[request.param])
    yield running
    await running.stop()


def dialect(emulator: RunningEmulator) -> str:
    [name] = emulator.state.dialects
    return name


async def test_the_balance_screen_shows_the_balance(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    await manager.send_text("/balance")
    screen = await manager.wait_for_reply()
    assert "42,00" in (screen.text or "") or "42.00" in (screen.text or "")
    assert RU("dispatches.sms_not_understood") not in (screen.text or "")


async def test_a_send_to_a_book_is_created_once_and_followed_to_the_end(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    align_clock(bot)
    summary = await summary_for_book(manager, "Скидки до пятницы")
    await confirm(manager, summary)
    if dialect(emulator) == "create_no_body":
        await reply_with(manager, plain(RU("send.created_unnumbered"))[:40])
        dispatch_id = max(emulator.state.dispatches)
        # The search by traits finds it at the poller's next tries.
        emulator.clock.advance(30)
        await wait_cycles(bot, 2)
        found = await reply_with(manager, f"№{dispatch_id}")
        assert plain(RU("notify.lost_found", moment=CUT, id=CUT)).split(CUT)[0] in (
            found.text or ""
        )
    else:
        card = await reply_with(manager, "Рассылка №")
        dispatch_id = max(emulator.state.dispatches)
        assert f"№{dispatch_id}" in (card.text or "")
        emulator.clock.advance(400)  # tariffed, sent, delivered, closed
        await wait_cycles(bot, 2)
        final = await reply_with(manager, f"№{dispatch_id}")
        assert final.text
    assert len(creates(bot)) == 1


async def test_a_send_to_typed_numbers_is_created_once(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    prompt = await start_send(manager)
    assert prompt.inline_keyboard
    await manager.send_text("+380 71 123-45-67, 0711234568")
    await prompt_with(manager, text_head())
    time_prompt = await type_text(manager, "Привет")
    summary = await send_now(manager, time_prompt)
    await confirm(manager, summary)
    expected = (
        plain(RU("send.created_unnumbered"))[:40]
        if dialect(emulator) == "create_no_body"
        else "Рассылка №"
    )
    await reply_with(manager, expected)
    [create] = creates(bot)
    assert sorted(create["body"]["phonesList"]) == ["380711234567", "380711234568"]


async def test_the_card_shows_the_status_the_server_gives(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    await reply_with(manager, "✅ Рассылка")  # sent (or created without a number)
    dispatch_id = max(emulator.state.dispatches)
    emulator.clock.advance(1)  # tariffing (the emulator's first phase after the send time)
    await manager.send_text(f"/status {dispatch_id}")
    card = await reply_with(manager, f"Рассылка №{dispatch_id}")
    expected = "MODERATION" if dialect(emulator) == "unknown_status" else RU("status.TARIFFING")
    assert expected in (card.text or "")


async def test_a_dispatch_made_in_the_web_interface_has_a_card(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    await manager.send_text("/status 1")  # from the emulator's data file: made on the web
    card = await manager.wait_for_reply()
    assert "Рассылка №1" in (card.text or "")
    assert bot_messages(manager)
