"""Helpers for the tests of who may do what: access requests, forged buttons, a quiet log."""

from __future__ import annotations

from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest


def is_access_request(message: StandinMessage) -> bool:
    return bool(message.text) and ("Запрос доступа №" in message.text)


async def forge_callback(standin: BotApiStandin, user: SimUser, data: str) -> str:
    """Send callback data the bot never offered this user, as a modified client could.
    Returns the query id, for ``user.wait_for_callback_answer``."""
    update = await user.send_callback(data, user.last_bot_message())
    return update["callback_query"]["id"]


async def quiet_the_poller(bot: BotUnderTest) -> None:
    """The notifications poller reads the balance on its own schedule; stopped (its cycle
    in flight finished), the emulator's log shows only what users cause."""
    assert bot.app is not None
    await bot.app.poller.stop()
    bot.emulator.state.requests.clear()
