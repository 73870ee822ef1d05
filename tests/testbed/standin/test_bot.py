"""A small real aiogram bot, polling the stand-in over HTTP, talks to simulated users."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest
from aiogram import Bot, Dispatcher, F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command
from aiogram.types import (
    CallbackQuery,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
    KeyboardButton,
    Message,
    ReplyKeyboardMarkup,
    ReplyKeyboardRemove,
)

from testbed.standin import BotApiStandin, SimUser
from testbed.standin.errors import NOT_MODIFIED, QUERY_TOO_OLD
from testbed.standin.testing import bot_for, polling


class EchoBot:
    """The bot under test: echo, an inline menu edited on a tap, a reply keyboard, files."""

    def __init__(self) -> None:
        self.taps: list[str] = []  # callback query ids, in the order handlers saw them
        self.refused_answers: list[str] = []
        self.finished_taps: asyncio.Queue[str] = asyncio.Queue()
        self.router = Router()
        self.router.message(Command("menu"))(self.menu)
        self.router.message(Command("keyboard"))(self.keyboard)
        self.router.message(F.text == "Close")(self.close_keyboard)
        self.router.message(F.document)(self.document)
        self.router.message(F.sticker)(self.sticker)
        self.router.message(F.text)(self.echo)
        self.router.callback_query(F.data.startswith("pick:"))(self.picked)

    def dispatcher(self) -> Dispatcher:
        dispatcher = Dispatcher()
        dispatcher.include_router(self.router)
        return dispatcher

    async def echo(self, message: Message) -> None:
        await message.answer(message.text or "")

    async def menu(self, message: Message) -> None:
        keyboard = InlineKeyboardMarkup(
            inline_keyboard=[
                [
                    InlineKeyboardButton(text="Yes", callback_data="pick:yes"),
                    InlineKeyboardButton(text="No", callback_data="pick:no"),
                ],
                [InlineKeyboardButton(text="Site", url="https://example.org")],
            ]
        )
        await message.answer("<b>Send</b> it?", parse_mode="HTML", reply_markup=keyboard)

    async def picked(self, query: CallbackQuery) -> None:
        self.taps.append(query.id)
        try:
            await query.answer("Noted")
            assert isinstance(query.message, Message)
            await query.message.edit_text(f"You chose {query.data}")
        except TelegramBadRequest:
            # a second delivery of a tap that was answered already
            self.refused_answers.append(query.id)
        finally:
            self.finished_taps.put_nowait(query.id)

    async def keyboard(self, message: Message) -> None:
        markup = ReplyKeyboardMarkup(
            keyboard=[[KeyboardButton(text="Balance"), KeyboardButton(text="Close")]],
            resize_keyboard=True,
        )
        await message.answer("Menu below", reply_markup=markup)

    async def close_keyboard(self, message: Message) -> None:
        await message.answer("Closed", reply_markup=ReplyKeyboardRemove())

    async def document(self, message: Message, bot: Bot) -> None:
        assert message.document is not None
        content = await bot.download(message.document)
        assert content is not None
        lines = content.read().decode().splitlines()
        await message.answer(f"{message.document.file_name}: {len(lines)} lines, first {lines[0]}")

    async def sticker(self, message: Message) -> None:
        await message.answer("Please use the buttons")


@pytest.fixture
async def echo_bot() -> EchoBot:
    return EchoBot()


@pytest.fixture
async def ann(standin: BotApiStandin, echo_bot: EchoBot) -> AsyncIterator[SimUser]:
    bot = bot_for(standin)
    async with polling(echo_bot.dispatcher(), bot, standin):
        yield standin.user(501, first_name="Ann", language_code="ru")


async def test_echo_round_trip(ann: SimUser) -> None:
    sent = await ann.send_text("Привет, бот")

    reply = await ann.wait_for_reply()

    assert reply.text == "Привет, бот"
    assert reply.from_bot
    assert reply.message_id == sent.message_id + 1
    assert [m.text for m in ann.messages] == ["Привет, бот", "Привет, бот"]


async def test_commands_reach_the_command_handler(ann: SimUser) -> None:
    await ann.send_text("/menu")

    menu = await ann.wait_for_reply()

    assert menu.text == "Send it?"
    assert menu.entities == [{"type": "bold", "offset": 0, "length": 4}]
    assert menu.button_texts() == ["Yes", "No", "Site"]


async def test_tap_is_answered_and_the_message_edited(standin: BotApiStandin, ann: SimUser) -> None:
    await ann.send_text("/menu")
    menu = await ann.wait_for_reply()

    await ann.tap("No")
    answer = await ann.wait_for_callback_answer()
    edited = await ann.wait_for_reply()

    assert answer.text == "Noted"
    assert edited.message_id == menu.message_id
    assert edited.text == "You chose pick:no"
    assert edited.inline_keyboard is None  # an edit without reply_markup drops the keyboard
    assert edited.edit_date is not None
    assert [m.text for m in ann.messages] == ["/menu", "You chose pick:no"]
    assert [call.status for call in standin.calls_to("editMessageText")] == [200]


async def test_tap_by_callback_data_on_a_given_message(ann: SimUser) -> None:
    await ann.send_text("/menu")
    first = await ann.wait_for_reply()
    await ann.send_text("/menu")
    await ann.wait_for_reply()

    await ann.tap("pick:yes", message=first)
    edited = await ann.wait_for_reply()

    assert edited.message_id == first.message_id
    assert edited.text == "You chose pick:yes"


async def test_the_same_tap_delivered_twice(
    standin: BotApiStandin, ann: SimUser, echo_bot: EchoBot
) -> None:
    await ann.send_text("/menu")
    await ann.wait_for_reply()

    first = await ann.tap("Yes")
    second = await standin.redeliver(first)
    async with asyncio.timeout(5):
        finished = [await echo_bot.finished_taps.get() for _ in range(2)]

    assert second["update_id"] == first["update_id"] + 1
    assert second["callback_query"] == first["callback_query"]
    query_id = first["callback_query"]["id"]
    assert echo_bot.taps == finished == [query_id, query_id]
    assert echo_bot.refused_answers == [query_id]
    answers = standin.calls_to("answerCallbackQuery")
    assert sorted(call.status for call in answers) == [200, 400]
    assert {call.description for call in answers} == {None, f"Bad Request: {QUERY_TOO_OLD}"}
    assert len(standin.calls_to("editMessageText")) == 1


async def test_reply_keyboard_shown_tapped_and_removed(ann: SimUser) -> None:
    await ann.send_text("/keyboard")
    menu = await ann.wait_for_reply()
    assert menu.reply_keyboard is not None
    assert ann.reply_keyboard == menu.reply_keyboard

    await ann.tap_reply("Close")
    closed = await ann.wait_for_reply()

    assert closed.text == "Closed"
    assert closed.reply_keyboard == {"remove_keyboard": True}
    assert ann.reply_keyboard is None
    with pytest.raises(LookupError):
        await ann.tap_reply("Balance")


async def test_document_uploaded_by_the_user_is_downloaded_by_the_bot(
    standin: BotApiStandin, ann: SimUser
) -> None:
    numbers = b"380711234567\n71123456\n380711234568\n"

    await ann.send_document("numbers.txt", numbers, "text/plain")
    reply = await ann.wait_for_reply()

    assert reply.text == "numbers.txt: 3 lines, first 380711234567"
    assert [call.status for call in standin.calls_to("getFile")] == [200]


async def test_sticker_gets_a_hint(ann: SimUser) -> None:
    await ann.send_sticker()

    reply = await ann.wait_for_reply()

    assert reply.text == "Please use the buttons"


async def test_wait_for_reply_times_out_when_the_bot_says_nothing_more(ann: SimUser) -> None:
    await ann.send_text("/menu")
    await ann.wait_for_reply()

    with pytest.raises(TimeoutError, match="no bot reply to user 501"):
        await ann.wait_for_reply(timeout=0.2)


async def test_each_user_sees_only_their_own_chat(standin: BotApiStandin, ann: SimUser) -> None:
    bob = standin.user(502, first_name="Bob", language_code="en")

    await bob.send_text("from Bob")
    await ann.send_text("from Ann")
    bob_reply = await bob.wait_for_reply()
    ann_reply = await ann.wait_for_reply()

    assert (bob_reply.text, ann_reply.text) == ("from Bob", "from Ann")
    assert [m.text for m in bob.messages] == ["from Bob", "from Bob"]


async def test_editing_to_the_same_text_is_refused(standin: BotApiStandin, ann: SimUser) -> None:
    await ann.send_text("/menu")
    await ann.wait_for_reply()
    await ann.tap("Yes")
    edited = await ann.wait_for_reply(lambda m: m.edit_date is not None)

    async with bot_for(standin) as bot:
        with pytest.raises(TelegramBadRequest) as refused:
            await bot.edit_message_text(
                text=edited.text or "", chat_id=ann.chat_id, message_id=edited.message_id
            )

    assert refused.value.message == f"Bad Request: {NOT_MODIFIED}"
