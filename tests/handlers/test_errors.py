"""An exception no handler expected: logged without secrets, an apology, and the bot goes on."""

import logging

import pytest

from core.sms import SmsApiClient
from handlers.common.i18n import translator
from testbed.standin import SimUser
from tests.support.harness import SMS_TOKEN, BotUnderTest


async def test_unexpected_error_gets_an_apology_and_the_bot_goes_on(
    bot: BotUnderTest,
    manager: SimUser,
    monkeypatch: pytest.MonkeyPatch,
    caplog: pytest.LogCaptureFixture,
):
    async def broken_balance(self: SmsApiClient) -> None:
        raise RuntimeError(f"a bug that mentions {SMS_TOKEN}")

    monkeypatch.setattr(SmsApiClient, "balance", broken_balance)
    with caplog.at_level(logging.DEBUG):
        await manager.send_text("/balance")
        apology = await manager.wait_for_reply()
    assert apology.text == translator("ru")("common.unexpected_error")
    assert "Unhandled error" in caplog.text
    assert SMS_TOKEN not in caplog.text

    monkeypatch.undo()
    await manager.send_text("/balance")
    balance = await manager.wait_for_reply()
    assert "42" in (balance.text or "")
