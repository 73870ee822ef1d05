"""The stand-in refuses what Telegram refuses, and aiogram raises its usual exceptions."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest
from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.exceptions import (
    TelegramBadRequest,
    TelegramForbiddenError,
    TelegramRetryAfter,
    TelegramServerError,
    TelegramUnauthorizedError,
)
from aiogram.types import (
    BotCommand,
    BotCommandScopeAllPrivateChats,
    BufferedInputFile,
    InlineKeyboardButton,
    InlineKeyboardMarkup,
)

from testbed.standin import BotApiStandin, FloodLimits, ManualClock, SimUser
from testbed.standin.errors import NOT_MODIFIED, QUERY_TOO_OLD
from testbed.standin.testing import bot_for


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def standin(clock: ManualClock) -> AsyncIterator[BotApiStandin]:
    async with await BotApiStandin.start(clock=clock) as server:
        yield server


@pytest.fixture
async def bot(standin: BotApiStandin) -> AsyncIterator[Bot]:
    async with bot_for(standin) as client:
        yield client


@pytest.fixture
def ann(standin: BotApiStandin) -> SimUser:
    return standin.user(701, first_name="Ann")


def keyboard(*callback_data: str) -> InlineKeyboardMarkup:
    buttons = [
        InlineKeyboardButton(text=f"b{i}", callback_data=d) for i, d in enumerate(callback_data)
    ]
    return InlineKeyboardMarkup(inline_keyboard=[buttons])


async def refused(call: object) -> str:
    """The description of the TelegramBadRequest that awaiting `call` raises."""
    with pytest.raises(TelegramBadRequest) as error:
        await call  # type: ignore[misc]
    return error.value.message


# -- message text ----------------------------------------------------------------


async def test_empty_text_is_refused(bot: Bot, ann: SimUser) -> None:
    assert await refused(bot.send_message(ann.chat_id, "")) == "Bad Request: message text is empty"
    assert await refused(bot.send_message(ann.chat_id, "  \n ")) == (
        "Bad Request: message text is empty"
    )


async def test_text_over_4096_characters_is_refused(bot: Bot, ann: SimUser) -> None:
    longest = await bot.send_message(ann.chat_id, "я" * 4096)

    assert len(longest.text or "") == 4096
    assert await refused(bot.send_message(ann.chat_id, "я" * 4097)) == (
        "Bad Request: message is too long"
    )


async def test_length_is_counted_after_entity_parsing(bot: Bot, ann: SimUser) -> None:
    marked_up = "<b>" + "a" * 4090 + "</b>&lt;&amp;"

    sent = await bot.send_message(ann.chat_id, marked_up, parse_mode="HTML")

    assert len(marked_up) > 4096
    assert sent.text == "a" * 4090 + "<&"
    assert await refused(
        bot.send_message(ann.chat_id, "<b>" + "a" * 4097 + "</b>", parse_mode="HTML")
    ) == ("Bad Request: message is too long")


@pytest.mark.parametrize(
    ("html", "reason"),
    [
        ("<div>x</div>", 'Unsupported start tag "div" at byte offset 0'),
        ("<b>bold", 'Can\'t find end tag corresponding to start tag "b"'),
        ("<b>x</i>", 'Unmatched end tag at byte offset 4, expected "</b>", found "</i>"'),
        ("Цена < 100", 'Unsupported start tag "" at byte offset 9'),
        ("Tom & Jerry", 'Unsupported HTML entity "&" at byte offset 4'),
        ("&nbsp;", 'Unsupported HTML entity "&nbsp" at byte offset 0'),
    ],
)
async def test_broken_html_is_refused(bot: Bot, ann: SimUser, html: str, reason: str) -> None:
    description = await refused(bot.send_message(ann.chat_id, html, parse_mode="HTML"))

    assert description == f"Bad Request: can't parse entities: {reason}"


async def test_the_same_text_as_plain_text_is_fine(bot: Bot, ann: SimUser) -> None:
    sent = await bot.send_message(ann.chat_id, "Tom & Jerry < 3")

    assert sent.text == "Tom & Jerry < 3"


# -- keyboards -------------------------------------------------------------------


async def test_callback_data_is_limited_to_64_bytes(bot: Bot, ann: SimUser) -> None:
    await bot.send_message(ann.chat_id, "ok", reply_markup=keyboard("ж" * 32))  # 64 bytes

    for data in ("ж" * 33, "x" * 65, ""):
        description = await refused(
            bot.send_message(ann.chat_id, "no", reply_markup=keyboard(data))
        )
        assert description == "Bad Request: BUTTON_DATA_INVALID"


async def test_keyboard_over_100_buttons_is_refused(bot: Bot, ann: SimUser) -> None:
    data = [f"n:{i}" for i in range(101)]

    await bot.send_message(ann.chat_id, "ok", reply_markup=keyboard(*data[:100]))
    description = await refused(bot.send_message(ann.chat_id, "no", reply_markup=keyboard(*data)))

    assert description == "Bad Request: reply markup is too long"


# -- editing and deleting ----------------------------------------------------------


async def test_edit_that_changes_nothing_is_refused(bot: Bot, ann: SimUser) -> None:
    sent = await bot.send_message(ann.chat_id, "<b>Total</b>", parse_mode="HTML")

    same_html = bot.edit_message_text(
        text="<strong>Total</strong>",
        chat_id=ann.chat_id,
        message_id=sent.message_id,
        parse_mode="HTML",
    )
    assert await refused(same_html) == f"Bad Request: {NOT_MODIFIED}"

    await bot.edit_message_text(text="Total", chat_id=ann.chat_id, message_id=sent.message_id)
    assert ann.last_bot_message() is not None
    assert ann.messages[-1].entities == []


async def test_markup_edit_that_changes_nothing_is_refused(bot: Bot, ann: SimUser) -> None:
    sent = await bot.send_message(ann.chat_id, "Pick", reply_markup=keyboard("a"))

    description = await refused(
        bot.edit_message_reply_markup(
            chat_id=ann.chat_id, message_id=sent.message_id, reply_markup=keyboard("a")
        )
    )
    await bot.edit_message_reply_markup(chat_id=ann.chat_id, message_id=sent.message_id)

    assert description == f"Bad Request: {NOT_MODIFIED}"
    assert ann.messages[-1].inline_keyboard is None


async def test_missing_messages_cannot_be_edited_or_deleted(bot: Bot, ann: SimUser) -> None:
    sent = await bot.send_message(ann.chat_id, "soon gone")
    await bot.delete_message(ann.chat_id, sent.message_id)

    assert ann.messages == []
    assert await refused(
        bot.edit_message_text(text="x", chat_id=ann.chat_id, message_id=sent.message_id)
    ) == ("Bad Request: message to edit not found")
    assert await refused(bot.edit_message_text(text="x", chat_id=ann.chat_id, message_id=999)) == (
        "Bad Request: message to edit not found"
    )
    assert await refused(bot.delete_message(ann.chat_id, sent.message_id)) == (
        "Bad Request: message to delete not found"
    )


async def test_users_messages_cannot_be_edited(bot: Bot, ann: SimUser) -> None:
    own = await ann.send_text("mine")

    description = await refused(
        bot.edit_message_text(text="x", chat_id=ann.chat_id, message_id=own.message_id)
    )

    assert description == "Bad Request: message can't be edited"


async def test_unknown_chat_is_not_found(bot: Bot) -> None:
    assert await refused(bot.send_message(424242, "hi")) == "Bad Request: chat not found"
    assert await refused(bot.send_message("@somebody", "hi")) == "Bad Request: chat not found"


# -- callback queries --------------------------------------------------------------


async def test_callback_answer_rules(
    standin: BotApiStandin, bot: Bot, ann: SimUser, clock: ManualClock
) -> None:
    await bot.send_message(ann.chat_id, "Pick", reply_markup=keyboard("a", "b"))
    first = (await ann.tap("a"))["callback_query"]["id"]
    late = (await ann.tap("b"))["callback_query"]["id"]

    assert await refused(bot.answer_callback_query(first, text="x" * 201)) == (
        "Bad Request: MESSAGE_TOO_LONG"
    )
    assert await bot.answer_callback_query(first, text="x" * 200)
    assert await refused(bot.answer_callback_query(first)) == f"Bad Request: {QUERY_TOO_OLD}"
    assert await refused(bot.answer_callback_query("no-such-query")) == (
        f"Bad Request: {QUERY_TOO_OLD}"
    )
    clock.advance(16)
    assert await refused(bot.answer_callback_query(late)) == f"Bad Request: {QUERY_TOO_OLD}"
    answer = await ann.wait_for_callback_answer(first, timeout=0.1)
    assert answer.text == "x" * 200


# -- blocked users, flood control, planned failures ----------------------------------


async def test_blocked_user_gives_forbidden(bot: Bot, ann: SimUser) -> None:
    await ann.block_bot()

    with pytest.raises(TelegramForbiddenError) as blocked:
        await bot.send_message(ann.chat_id, "hello?")
    with pytest.raises(TelegramForbiddenError):
        await bot.send_chat_action(ann.chat_id, "typing")
    await ann.unblock_bot()
    await bot.send_message(ann.chat_id, "welcome back")

    assert blocked.value.message == "Forbidden: bot was blocked by the user"
    assert [m.text for m in ann.messages] == ["welcome back"]


async def test_planned_retry_after_gives_telegram_retry_after(
    standin: BotApiStandin, bot: Bot, ann: SimUser
) -> None:
    standin.retry_after_next("sendMessage", 7)

    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(ann.chat_id, "one")
    await bot.send_message(ann.chat_id, "two")

    assert flood.value.retry_after == 7
    assert "Original description: Too Many Requests: retry after 7" in flood.value.message
    assert standin.rate_limited_count == 1
    assert [m.text for m in ann.messages] == ["two"]


async def test_fail_next_answers_any_error_once(
    standin: BotApiStandin, bot: Bot, ann: SimUser
) -> None:
    standin.fail_next("getMe", 502, "Bad Gateway")

    with pytest.raises(TelegramServerError, match="Bad Gateway"):
        await bot.get_me()
    me = await bot.get_me()

    assert me.username == "phoenix_sms_bot"
    assert [call.status for call in standin.calls_to("getMe")] == [502, 200]


async def test_per_chat_flood_control(standin: BotApiStandin, bot: Bot, clock: ManualClock) -> None:
    standin.enable_flood_control(FloodLimits(per_chat_per_second=1, per_chat_burst=3))
    ann, bob = standin.user(1), standin.user(2)

    for n in range(3):
        await bot.send_message(ann.chat_id, f"burst {n}")
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(ann.chat_id, "one too many")
    await bot.send_message(bob.chat_id, "another chat is not held back")
    clock.advance(1)
    await bot.send_message(ann.chat_id, "after a second")

    assert flood.value.retry_after == 1
    assert standin.rate_limited_count == 1
    assert [m.text for m in ann.messages][-1] == "after a second"


async def test_a_group_takes_twenty_messages_a_minute(
    standin: BotApiStandin, bot: Bot, clock: ManualClock
) -> None:
    standin.enable_flood_control()
    ann = standin.user(1)
    team = standin.group(-77, "Team", [ann])
    await team.add_bot(by=ann)
    for n in range(20):
        await bot.send_message(team.chat_id, f"alert {n}")
        clock.advance(1)  # within the per-chat pace
    with pytest.raises(TelegramRetryAfter) as flood:
        await bot.send_message(team.chat_id, "the 21st within a minute")
    await bot.send_message(ann.chat_id, "a private chat is not held back")
    clock.advance(flood.value.retry_after)
    await bot.send_message(team.chat_id, "once the first has left the minute")

    assert flood.value.retry_after == 40  # the first went at 0 s, this one asks at 20 s
    assert standin.rate_limited_count == 1
    assert team.bot_messages()[-1].text == "once the first has left the minute"


async def test_overall_flood_control(standin: BotApiStandin, bot: Bot, clock: ManualClock) -> None:
    standin.enable_flood_control(FloodLimits(overall_per_second=2, overall_burst=2))
    users = [standin.user(n) for n in range(1, 4)]

    await bot.send_message(users[0].chat_id, "a")
    await bot.send_message(users[1].chat_id, "b")
    with pytest.raises(TelegramRetryAfter):
        await bot.send_message(users[2].chat_id, "c")
    clock.advance(0.5)
    await bot.send_message(users[2].chat_id, "c")
    standin.disable_flood_control()
    for user in users:
        await bot.send_message(user.chat_id, "free again")

    assert standin.rate_limited_count == 1


async def test_wrong_token_is_unauthorized(standin: BotApiStandin) -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(standin.url))

    async with Bot("999:OTHER", session=session) as stranger:
        with pytest.raises(TelegramUnauthorizedError, match="Unauthorized"):
            await stranger.get_me()

    assert standin.calls_to("getMe")[0].status == 401


# -- commands, chat actions, documents -----------------------------------------------


async def test_commands_are_kept_per_scope_and_language(standin: BotApiStandin, bot: Bot) -> None:
    russian = [BotCommand(command="send", description="Новая рассылка")]
    english = [BotCommand(command="send", description="New dispatch")]
    private = BotCommandScopeAllPrivateChats()

    await bot.set_my_commands(russian, language_code="ru")
    await bot.set_my_commands(english, scope=private, language_code="en")

    assert [c.description for c in await bot.get_my_commands(language_code="ru")] == [
        "Новая рассылка"
    ]
    assert await bot.get_my_commands(language_code="en") == []
    assert standin.commands(private.model_dump(), "en") == [
        {"command": "send", "description": "New dispatch"}
    ]
    await bot.delete_my_commands(language_code="ru")
    assert standin.commands(language_code="ru") is None
    bad = [BotCommand(command="Send-Now", description="x")]
    assert await refused(bot.set_my_commands(bad)) == "Bad Request: BOT_COMMAND_INVALID"


async def test_chat_action_is_recorded(bot: Bot, ann: SimUser) -> None:
    await bot.send_chat_action(ann.chat_id, "upload_document")

    assert ann.last_chat_action == "upload_document"
    assert await refused(bot.send_chat_action(ann.chat_id, "dancing")) == (
        "Bad Request: wrong parameter action in request"
    )


async def test_bot_sends_a_document_and_can_fetch_it_back(
    standin: BotApiStandin, bot: Bot, ann: SimUser
) -> None:
    report = BufferedInputFile(b"id;status\n1;CLOSED\n", filename="report.csv")

    sent = await bot.send_document(ann.chat_id, report, caption="<i>Report</i>", parse_mode="HTML")
    assert sent.document is not None
    downloaded = await bot.download(sent.document)

    assert downloaded is not None and downloaded.read() == b"id;status\n1;CLOSED\n"
    assert sent.document.file_name == "report.csv"
    assert sent.caption == "Report"
    assert ann.messages[-1].document == sent.document.model_dump(exclude_none=True)
    recorded = standin.calls_to("sendDocument")[0].params
    assert recorded["document"].filename == "report.csv"
    assert await refused(bot.get_file("no-such-file")) == "Bad Request: invalid file_id"
