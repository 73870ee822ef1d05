"""Helpers for the tests of who may do what: access requests and the admins' boards,
forged buttons, a quiet log."""

from __future__ import annotations

from handlers.access.board import BOARD, PendingBoard
from handlers.access.callbacks import Decision
from handlers.common.i18n import Translator, translator
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest

RU = translator("ru")
LABELS = {
    Decision.MANAGER: "access.button_list_manager",
    Decision.OBSERVER: "access.button_list_observer",
    Decision.DENY: "access.button_list_deny",
}


def is_access_request(message: StandinMessage) -> bool:
    """An admin's board of pending access requests, open (with its buttons)."""
    first_line = (message.text or "").split("\n", 1)[0]
    return first_line.startswith("🔑") and bool(message.inline_keyboard)


def is_closed_board(message: StandinMessage) -> bool:
    return (message.text or "").startswith("✅") and not message.inline_keyboard


def decision_button(request_id: int, decision: Decision, t: Translator = RU) -> str:
    """The label of a request's button on a board or a /users page."""
    return t(LABELS[decision], id=request_id)


def messages_sent_to(standin: BotApiStandin, chat_id: int) -> int:
    """sendMessage calls to this chat that Telegram took (edits not counted)."""
    return sum(
        1
        for call in standin.calls_to("sendMessage")
        if call.ok and call.params.get("chat_id") == chat_id
    )


def pending_board(bot: BotUnderTest) -> PendingBoard:
    assert bot.app is not None, "the bot is not running"
    board = bot.app.dispatcher[BOARD]
    assert isinstance(board, PendingBoard)
    return board


async def boards_settled(bot: BotUnderTest) -> None:
    """Until the admins' boards are drawn with every change so far."""
    await pending_board(bot).settled()


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
