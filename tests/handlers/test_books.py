"""/books: the address books, and a book's contacts a page at a time."""

from __future__ import annotations

from handlers.common.formatting import visible_length
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest


def callback_bytes(user: SimUser) -> list[int]:
    message = user.last_bot_message()
    assert message is not None
    return [len(button["callback_data"].encode()) for button in message.buttons]


async def forge_tap(
    standin: BotApiStandin, user: SimUser, message: StandinMessage, data: str
) -> str:
    """A callback query with data no button carries, as a modified client could send."""
    update = await user.send_callback(data, message)
    return update["callback_query"]["id"]


async def test_observer_opens_a_book_and_sees_its_contacts(observer: SimUser):
    await observer.send_text("/books")
    books = await observer.wait_for_reply()
    assert "Адресные книги" in (books.text or "") and "4" in (books.text or "")
    assert books.button_texts() == ["name1", "name2", "Клиенты", "Сотрудники"]

    await observer.tap("Клиенты")
    contacts = await observer.wait_for_reply()
    text = contacts.text or ""
    assert contacts.message_id == books.message_id
    assert "Клиенты · 25 контактов" in text and "Страница 1 из 2" in text
    assert "1. 380711234567 — Иванов Пётр" in text
    assert "6. 380711274162 — ООО «Весна»" in text
    assert "21." not in text
    await observer.tap("▶️")
    second = await observer.wait_for_reply()
    assert "21. " in (second.text or "") and "25. " in (second.text or "")
    await observer.tap("⬅️ Все книги")
    assert (await observer.wait_for_reply()).button_texts()[0] == "name1"


async def test_empty_book(manager: SimUser):
    await manager.send_text("📒 Адресные книги")
    await manager.wait_for_reply()
    await manager.tap("name2")
    text = (await manager.wait_for_reply()).text or ""
    assert "name2 · 0 контактов" in text and "В этой книге нет контактов." in text


async def test_a_book_of_a_hundred_thousand_contacts_is_paged(
    manager: SimUser, emulator: RunningEmulator, standin: BotApiStandin
):
    big = emulator.state.add_book("Big <&> book", 100_000)
    await manager.send_text("/books")
    await manager.wait_for_reply()
    await manager.tap("Big <&> book")
    first = await manager.wait_for_reply(timeout=15)
    assert "Big <&> book · 100000 контактов" in (first.text or "")
    assert "Страница 1 из 5000" in (first.text or "")
    assert max(callback_bytes(manager)) <= 20

    await manager.tap("⏭")
    last = await manager.wait_for_reply(timeout=15)
    assert "Страница 5000 из 5000" in (last.text or "")
    assert "100000. " in (last.text or "")
    await manager.tap("◀️")
    before_last = await manager.wait_for_reply(timeout=15)
    assert "Страница 4999 из 5000" in (before_last.text or "")
    for call in standin.calls_to("sendMessage") + standin.calls_to("editMessageText"):
        assert visible_length(call.params["text"]) < 4096
    assert big.id == 5


async def test_a_deleted_book_is_said_plainly(manager: SimUser, emulator: RunningEmulator):
    await manager.send_text("/books")
    await manager.wait_for_reply()
    del emulator.state.books[3]
    await manager.tap("Клиенты")
    answer = await manager.wait_for_callback_answer()
    assert answer.show_alert
    assert answer.text == "Адресная книга не найдена: возможно, её удалили в веб-интерфейсе."


async def test_books_in_english_and_when_the_service_is_down(
    bot: BotUnderTest, emulator: RunningEmulator
):
    user = await bot.user(2400, Role.OBSERVER, language="en")
    await user.send_text("/books")
    reply = await user.wait_for_reply()
    assert "Address books" in (reply.text or "")
    await user.tap("Сотрудники")
    assert "8 contacts" in ((await user.wait_for_reply()).text or "")

    emulator.state.faults.update({"down": True})
    await user.send_text("/books")
    down = await user.wait_for_reply()
    assert down.text == "The SMS service does not answer, please try again a little later."


async def test_forged_book_buttons(bot: BotUnderTest, manager: SimUser, standin: BotApiStandin):
    await manager.send_text("/books")
    books = await manager.wait_for_reply()
    query_id = await forge_tap(standin, manager, books, "bc:999:0")
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.text == "Адресная книга не найдена: возможно, её удалили в веб-интерфейсе."

    before = len(bot.sms_requests("/sms-api/addressbooks"))
    query_id = await forge_tap(standin, manager, books, "bc:-1:0")
    assert "не найдена" in ((await manager.wait_for_callback_answer(query_id)).text or "")
    assert len(bot.sms_requests("/sms-api/addressbooks")) == before

    await forge_tap(standin, manager, books, "bc:3:99999")  # past the end: the last page
    last = await manager.wait_for_reply()
    assert "Страница 2 из 2" in (last.text or "") and "25. " in (last.text or "")
