"""What a send conversation leaves in the logs at INFO and above: who and which dispatch,
never a phone number or the text of the SMS (JSON logs, as an operator runs them)."""

from __future__ import annotations

import logging
import re

import pytest

from storage import Role
from tests.support.harness import MANAGER_ID, BotUnderTest
from tests.support.metrics import until_handled
from tests.support.send import card_head, confirm, reply_with, summary_for_numbers

TYPED = "+380 71 123 45 67, 380719876543"
TEXT = "Sale ends Friday, private words"
PHONE_DIGITS = ("711234567", "719876543")  # each number's last 9 digits, however spelt


async def test_a_send_logs_no_phone_number_and_no_text_at_info(
    json_logging_bot: BotUnderTest, caplog: pytest.LogCaptureFixture
) -> None:
    manager = await json_logging_bot.user(MANAGER_ID, Role.MANAGER)
    with caplog.at_level(logging.INFO):
        summary = await summary_for_numbers(manager, TYPED, TEXT)
        await confirm(manager, summary)
        await reply_with(manager, card_head())
        await until_handled(json_logging_bot, 5)  # /send, numbers, text, now, confirm

    # The bot's records (the emulator's access log in this process is the test rig's).
    logged = [
        r for r in caplog.records if r.levelno >= logging.INFO and not r.name.startswith("testbed")
    ]
    handled = [r for r in logged if getattr(r, "handler", None)]
    assert len(handled) == 5 and all(hasattr(r, "update_id") for r in handled)
    assert any("created dispatch" in r.getMessage() for r in logged)
    text = "\n".join(f"{r.getMessage()} {r.args!r} {r.exc_text}" for r in logged)
    assert TEXT not in text and "Sale ends" not in text
    for number in PHONE_DIGITS:
        assert number not in re.sub(r"[\s+]", "", text)
