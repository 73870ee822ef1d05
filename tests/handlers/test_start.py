"""/start, /help, /cancel and /language, for each role and from inside a conversation."""

from __future__ import annotations

from aiogram.fsm.storage.base import StorageKey

from handlers.common.i18n import translator
from storage import Role
from testbed.standin import SimUser
from testbed.standin.validation import reply_button_texts
from tests.support.access import is_access_request
from tests.support.harness import BOT_TOKEN, BotUnderTest
from tests.support.texts import plain

RU, EN = translator("ru"), translator("en")
BOT_ID = int(BOT_TOKEN.split(":", 1)[0])
SOME_STEP = "SendFlow:text"  # any conversation step; the send feature's own names do not matter


def fsm_key(user: SimUser) -> StorageKey:
    return StorageKey(bot_id=BOT_ID, chat_id=user.chat_id, user_id=user.user_id)


async def put_in_conversation(bot: BotUnderTest, user: SimUser) -> None:
    await bot.store.fsm.set_state(fsm_key(user), SOME_STEP)


def menu_of(user: SimUser) -> list[str]:
    return reply_button_texts(user.reply_keyboard or {})


async def test_start_greets_each_role_with_its_own_menu(
    admin: SimUser, manager: SimUser, observer: SimUser
):
    for user in (admin, manager, observer):
        await user.send_text("/start")

    admin_hello = await admin.wait_for_reply(lambda m: (m.text or "").startswith("👋"))
    manager_hello = await manager.wait_for_reply()
    observer_hello = await observer.wait_for_reply()

    assert admin_hello.text == plain(RU("start.greeting_admin", name="Alla"))
    assert manager_hello.text == plain(RU("start.greeting_manager", name="Max"))
    assert observer_hello.text == plain(RU("start.greeting_observer", name="Olga"))
    assert {RU("menu.users"), RU("menu.audit"), RU("menu.send")} <= set(menu_of(admin))
    assert RU("menu.send") in menu_of(manager) and RU("menu.users") not in menu_of(manager)
    assert RU("menu.send") not in menu_of(observer) and RU("menu.balance") in menu_of(observer)


async def test_admin_start_mentions_waiting_access_requests(
    bot: BotUnderTest, admin: SimUser, stranger: SimUser
):
    await stranger.send_text("let me in")
    await stranger.wait_for_reply()
    await admin.wait_for_reply(is_access_request)

    await admin.send_text("/start")
    hello = await admin.wait_for_reply(lambda m: (m.text or "").startswith("👋"))

    assert RU.plural("start.pending_requests", 1) in (hello.text or "")


async def test_help_tells_each_role_what_it_can_do(
    admin: SimUser, manager: SimUser, observer: SimUser
):
    await observer.send_text("/help")
    observer_help = (await observer.wait_for_reply()).text or ""
    await manager.send_text("/help")
    manager_help = (await manager.wait_for_reply()).text or ""
    await admin.send_text("/help")
    admin_help = (await admin.wait_for_reply(lambda m: "/audit" in (m.text or ""))).text or ""

    assert "/send" not in observer_help and "/users" not in observer_help
    assert plain(RU("start.help_read_only")) in observer_help and "/balance" in observer_help
    assert "/send" in manager_help and "/users" not in manager_help
    assert "/users" in admin_help and "/audit" in admin_help and "/send" in admin_help


async def test_help_menu_button_shows_help(manager: SimUser):
    await manager.send_text("/start")
    await manager.wait_for_reply()

    await manager.tap_reply(RU("menu.help"))
    reply = await manager.wait_for_reply()

    assert reply.text and reply.text.startswith(plain(RU("start.help_title", role="менеджер")))


async def test_cancel_with_nothing_going_on_says_there_is_nothing_to_cancel(manager: SimUser):
    await manager.send_text("/cancel")
    reply = await manager.wait_for_reply()

    assert reply.text == RU("start.nothing_to_cancel")
    assert RU("menu.send") in menu_of(manager)


async def test_cancel_in_the_middle_of_a_conversation_leaves_it(
    bot: BotUnderTest, manager: SimUser
):
    await put_in_conversation(bot, manager)

    await manager.send_text("/cancel")
    reply = await manager.wait_for_reply()

    assert reply.text == RU("start.cancelled")
    assert await bot.store.fsm.get_state(fsm_key(manager)) is None
    assert RU("menu.send") in menu_of(manager)

    await manager.send_text("/cancel")
    assert (await manager.wait_for_reply()).text == RU("start.nothing_to_cancel")


async def test_help_in_a_conversation_keeps_it_and_start_leaves_it(
    bot: BotUnderTest, manager: SimUser
):
    await put_in_conversation(bot, manager)

    await manager.send_text("/help")
    await manager.wait_for_reply()
    assert await bot.store.fsm.get_state(fsm_key(manager)) == SOME_STEP

    await manager.send_text("/start")
    hello = await manager.wait_for_reply()
    assert hello.text == plain(RU("start.greeting_manager", name="Max"))
    assert await bot.store.fsm.get_state(fsm_key(manager)) is None


async def test_english_speaking_user_gets_english(bot: BotUnderTest):
    user = await bot.user(2500, Role.MANAGER, language="en", first_name="Emma")

    await user.send_text("/start")
    hello = await user.wait_for_reply()
    await user.send_text("/help")
    help_text = await user.wait_for_reply()
    await user.send_text("/cancel")
    cancel = await user.wait_for_reply()

    assert hello.text == plain(EN("start.greeting_manager", name="Emma"))
    assert EN("menu.send") in menu_of(user)
    assert help_text.text and help_text.text.startswith("What the bot can do")
    assert cancel.text == EN("start.nothing_to_cancel")


async def test_manager_switches_the_language_to_english_and_back_to_telegrams(
    bot: BotUnderTest, manager: SimUser
):
    await manager.send_text("/language")
    prompt = await manager.wait_for_reply()
    assert prompt.button_texts() == [
        "🇷🇺 Русский",
        "🇬🇧 English",
        "📱 Как в Telegram / As in Telegram",
    ]

    await manager.tap("🇬🇧 English")
    answer = await manager.wait_for_callback_answer()
    menu_note = await manager.wait_for_reply(lambda m: m.message_id != prompt.message_id)

    assert answer.text == EN("start.language_set")
    assert manager.messages[-2].text == EN("start.language_set")  # the prompt, edited
    assert menu_note.text == EN("start.menu_in_language")
    assert EN("menu.send") in menu_of(manager)
    assert (await bot.store.users.get(manager.user_id)).language == "en"
    await manager.send_text("/help")
    assert ((await manager.wait_for_reply()).text or "").startswith("What the bot can do")

    await manager.send_text("/language")
    await manager.wait_for_reply()
    await manager.tap("📱 Как в Telegram / As in Telegram")
    await manager.wait_for_callback_answer()
    await manager.wait_for_reply(lambda m: m.text == RU("start.menu_in_language"))
    assert (await bot.store.users.get(manager.user_id)).language is None
    assert RU("menu.send") in menu_of(manager)
    await manager.send_text("/help")
    assert ((await manager.wait_for_reply()).text or "").startswith("Что умеет бот")


def menu_descriptions(bot: BotUnderTest, user: SimUser, app_language: str) -> dict[str, str]:
    menu = bot.standin.menu_for(user.user_id, app_language)
    return {command["command"]: command["description"] for command in menu}


async def test_the_command_menu_follows_the_language_chosen_in_the_bot(
    bot: BotUnderTest, manager: SimUser
):
    assert menu_descriptions(bot, manager, "ru")["balance"] == RU("commands.balance")
    await manager.send_text("/language")
    await manager.wait_for_reply()
    await manager.tap("🇬🇧 English")
    await manager.wait_for_reply(lambda m: m.text == EN("start.menu_in_language"))
    menu = menu_descriptions(bot, manager, "ru")  # the app still speaks Russian
    assert menu["balance"] == EN("commands.balance") and "users" not in menu

    await manager.send_text("/language")
    await manager.wait_for_reply()
    await manager.tap("📱 Как в Telegram / As in Telegram")
    await manager.wait_for_reply(lambda m: m.text == RU("start.menu_in_language"))
    assert menu_descriptions(bot, manager, "ru")["balance"] == RU("commands.balance")
    assert menu_descriptions(bot, manager, "en")["balance"] == EN("commands.balance")


async def test_an_admin_keeps_the_admin_commands_in_the_language_chosen(
    bot: BotUnderTest, admin: SimUser
):
    assert menu_descriptions(bot, admin, "en")["users"] == EN("commands.users")
    await admin.send_text("/language")
    await admin.wait_for_reply()
    await admin.tap("🇷🇺 Русский")
    await admin.wait_for_reply(lambda m: m.text == RU("start.menu_in_language"))
    menu = menu_descriptions(bot, admin, "en")  # an English app, Russian chosen
    assert menu["users"] == RU("commands.users") and menu["send"] == RU("commands.send")
