"""Helpers for the report tests: dispatches with known figures in the emulator, seen by
the bot's poller, and the report's messages read back."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

from testbed.emulator.models import DispatchStatus
from testbed.standin import SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.notify import make_dispatch, wait_cycles

PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"


async def dispatch_with(
    bot: BotUnderTest,
    creator_id: int | None,
    *,
    status: DispatchStatus,
    sent: int,
    delivered: int,
    text: str = "Скидки до пятницы",
) -> int:
    """A dispatch made through the SMS API and followed as the send feature follows it,
    then set in the emulator to ``status`` with exactly these counts (three numbers of
    one SMS part each: messagesCount 3)."""
    dispatch_id = await make_dispatch(bot, creator_id, text=text)
    made = bot.emulator.state.dispatches[dispatch_id]
    made.historical = True  # keeps its figures as set, whatever the clock does
    made.status = status
    made.messages_sent, made.messages_delivered = sent, delivered
    return dispatch_id


async def seen_by_poller(bot: BotUnderTest) -> None:
    """Two cycles: whatever the emulator holds now is what the bot has stored."""
    await wait_cycles(bot, 2)


def set_balance(bot: BotUnderTest, amount: str) -> None:
    bot.emulator.state.set_balance(Decimal(amount))


async def report_for(user: SimUser, button: str) -> StandinMessage:
    """Ask for a report and tap a period; the summary as it reads once ready."""
    await user.send_text("/report")
    await user.wait_for_reply()
    await user.tap(button)
    return await user.wait_for_reply(lambda m: bool(m.text) and "⏳" not in (m.text or ""))


def file_bytes(bot: BotUnderTest, file_id: str) -> bytes:
    return bot.standin.state.files[file_id].content


def photo_of(bot: BotUnderTest, message: StandinMessage) -> bytes:
    assert message.photo, f"not a photo: {message.text or message.caption}"
    return file_bytes(bot, message.photo[-1]["file_id"])


def workbook_of(bot: BotUnderTest, message: StandinMessage) -> Any:
    import openpyxl

    assert message.document, f"not a file: {message.text or message.caption}"
    return openpyxl.load_workbook(io.BytesIO(file_bytes(bot, message.document["file_id"])))
