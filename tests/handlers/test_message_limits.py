"""Texts built from data stay under Telegram's 4096 limit as Telegram counts it: UTF-16
code units after entity parsing. Every piece here is as long as its source allows and
made of characters outside the basic plane (two units each), and the stand-in refuses a
longer message as Telegram does, so a text built by counting characters fails here."""

from __future__ import annotations

from datetime import timedelta

from handlers.common.formatting import MESSAGE_LIMIT, visible_length
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.emulator.models import DispatchStatus
from testbed.emulator.validation import NewDispatch
from tests.support.harness import BotUnderTest
from tests.support.reports import seen_by_poller

WIDE = "𝔅"  # one character, two UTF-16 code units
NAME = WIDE * 64  # Telegram's longest first name
TEXT = "😀" * 2000  # far beyond one SMS, as a text made in the web interface may be
BOOK = "📒" * 255


def worst_case_dispatches(bot: BotUnderTest, emulator: RunningEmulator, count: int) -> list[int]:
    when = emulator.clock.now() + timedelta(hours=1)
    return [
        emulator.state.create_dispatch(NewDispatch(TEXT, ["380710000001"], when))
        for _ in range(count)
    ]


async def test_the_card_the_list_and_the_report_fit_with_the_widest_data(
    bot: BotUnderTest, emulator: RunningEmulator
) -> None:
    manager = await bot.user(2000, Role.MANAGER, first_name=NAME)
    ids = worst_case_dispatches(bot, emulator, 8)
    for dispatch_id in ids:
        await bot.store.dispatches.track(dispatch_id, manager.user_id, BOOK, TEXT, None)
        emulator.state.dispatches[dispatch_id].status = DispatchStatus.CLOSED
    await seen_by_poller(bot)

    await manager.send_text(f"/status {ids[0]}")
    card = await manager.wait_for_reply()
    await manager.send_text("/dispatches")
    listing = await manager.wait_for_reply()
    await manager.send_text("/report")
    await manager.wait_for_reply()
    await manager.tap("7 дней")
    report = await manager.wait_for_reply(lambda m: "⏳" not in (m.text or ""))

    for message in (card, listing, report):
        assert message.source_text, "the stand-in refused or the bot sent nothing"
        assert visible_length(message.source_text) <= MESSAGE_LIMIT
    assert f"№{ids[0]}" in (card.text or "")
    assert "😀" in (card.text or "") and WIDE not in (card.text or "")  # the text, cut
    assert f"№{ids[-1]}" in (listing.text or "")
