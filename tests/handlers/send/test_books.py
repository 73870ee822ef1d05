"""The address books at the first step: paged, recently used first, and an SMS service
that does not answer; the summary without a balance."""

from __future__ import annotations

from handlers.send.callbacks import (
    CalendarCallback,
    CalendarKind,
    SendAction,
    SendCallback,
    draft_token,
)
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    confirm,
    current_draft,
    forge_tap,
    pick_book,
    prompt_with,
    recipients_head,
    reply_with,
    start_send,
    summary_for_book,
    summary_head,
    type_text,
)
from tests.support.texts import CUT, head, plain


async def test_many_books_are_paged_eight_at_a_time(bot: BotUnderTest, manager: SimUser):
    for number in range(10):
        bot.emulator.state.add_book(f"Extra {number}", 3)
    prompt = await start_send(manager)
    first_page = [text for text in prompt.button_texts() if text.startswith(("name", "Extra"))]
    assert len(prompt.button_texts()) == 8 + 1 + 1  # books, ▶️, cancel
    assert "◀️" not in prompt.button_texts() and first_page[:2] == ["name1", "name2"]

    await manager.tap("▶️", prompt)  # 4 books of the default data + 10: two pages
    second = await prompt_with(manager, recipients_head())
    assert "◀️" in second.button_texts() and "▶️" not in second.button_texts()
    assert "Extra 9" in second.button_texts() and "name1" not in second.button_texts()
    await manager.tap("◀️", second)
    first = await prompt_with(manager, recipients_head())
    assert "name1" in first.button_texts()
    await manager.tap("▶️", first)
    second = await prompt_with(manager, recipients_head())
    await pick_book(manager, second, "Extra 9")
    assert (await current_draft(bot, manager)).book_name == "Extra 9"


async def test_recently_used_books_come_first(bot: BotUnderTest, manager: SimUser):
    prompt = await start_send(manager)
    await manager.tap("Сотрудники", prompt)
    await reply_with(manager, "Сотрудники")
    await manager.send_text("/cancel")
    await manager.wait_for_reply()
    prompt = await start_send(manager)
    assert prompt.button_texts()[0] == "Сотрудники"


async def test_an_empty_book_keeps_the_step(bot: BotUnderTest, manager: SimUser):
    prompt = await start_send(manager)
    await manager.tap("name2", prompt)
    await reply_with(manager, RU("send.no_valid_numbers"))
    row = await bot.store.db.fetchone(
        "SELECT state FROM fsm_records WHERE user_id = ?", (manager.user_id,)
    )
    assert row is not None and row["state"] == "SendForm:recipients"


async def test_a_book_with_invalid_contacts_reports_them(bot: BotUnderTest, manager: SimUser):
    book = bot.emulator.state.add_book("Mixed", 2)
    book.contacts[0] = type(book.contacts[0])(phone="12-34", comment="Old")
    book.contacts_json = None
    prompt = await start_send(manager)
    await manager.tap("Mixed", prompt)
    report = await reply_with(manager, "Mixed")
    assert "12-34" in (report.text or "")
    assert head(RU.plural("send.invalid_title", 1)) in (report.text or "")


async def test_books_that_cannot_be_loaded_offer_a_retry(bot: BotUnderTest, manager: SimUser):
    bot.emulator.state.faults.update({"down": True})
    await manager.send_text("/send")
    prompt = await prompt_with(manager, recipients_head())
    assert head(RU("send.books_unavailable", reason=CUT)) in (prompt.text or "")
    assert "name1" not in prompt.button_texts()

    bot.emulator.state.faults.update({"down": False})
    await manager.tap(RU("send.button_retry_books"), prompt)
    again = await prompt_with(manager, recipients_head())
    assert "name1" in again.button_texts()
    await pick_book(manager, again)


async def test_a_book_picked_while_the_service_is_down_keeps_the_step(
    bot: BotUnderTest, manager: SimUser
):
    prompt = await start_send(manager)
    bot.emulator.state.faults.update({"down": True})
    await manager.tap("name1", prompt)
    answer = await manager.wait_for_callback_answer()
    assert answer.show_alert and answer.text == plain(RU("sms_errors.unavailable"))
    bot.emulator.state.faults.update({"down": False})
    await pick_book(manager, prompt)  # the same buttons work once it is back


async def test_a_book_deleted_after_the_list_was_shown_is_gone_at_the_tap(
    bot: BotUnderTest, manager: SimUser
):
    # The tap names the book from the list just shown, but reads its contacts afresh.
    book = bot.emulator.state.add_book("Short-lived", 3)
    prompt = await start_send(manager)
    del bot.emulator.state.books[book.id]
    await manager.tap("Short-lived", prompt)
    answer = await manager.wait_for_callback_answer()
    assert answer.show_alert and answer.text == plain(RU("send.book_gone"))
    assert (await current_draft(bot, manager)).book_id is None
    await pick_book(manager, prompt)  # the step is as it was


async def test_a_book_added_after_the_list_was_shown_is_looked_up_at_the_tap(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    prompt = await start_send(manager)
    book = bot.emulator.state.add_book("Brand new", 3)  # not in the list the step showed
    draft = await current_draft(bot, manager)
    tap = SendCallback(action=SendAction.BOOK, draft=draft_token(draft.id), value=book.id).pack()
    await forge_tap(standin, manager, prompt, tap)
    await reply_with(manager, "Brand new")
    assert (await current_draft(bot, manager)).book_name == "Brand new"


async def test_a_forged_book_id_is_a_book_that_is_gone(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    prompt = await start_send(manager)
    draft = await current_draft(bot, manager)
    tap = SendCallback(action=SendAction.BOOK, draft=draft_token(draft.id), value=999_999).pack()
    query_id = await forge_tap(standin, manager, prompt, tap)
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.show_alert and answer.text == plain(RU("send.book_gone"))


async def test_the_summary_shows_the_money_and_goes_without_it_when_unknown(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    assert head(RU("send.summary_money", amount=CUT)) in (summary.text or "")

    await manager.send_text("/cancel")
    await manager.wait_for_reply()
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    time_prompt = await type_text(manager, "No balance")
    bot.emulator.state.faults.update({"down": True})
    await manager.tap(RU("send.button_now"), time_prompt)
    summary = await prompt_with(manager, summary_head())
    assert head(RU("send.summary_money", amount=CUT)) not in (summary.text or "")
    assert "No balance" in (summary.text or "")


async def test_the_summary_can_save_the_text_as_a_template(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager, "Saved from the summary")
    await manager.tap(RU("send.button_save_template"), summary)
    answer = await manager.wait_for_callback_answer()
    assert answer.text == RU("send.template_saved", name="Saved from the summary")
    (template,) = await bot.store.templates.list(10)
    assert (template.text, template.owner_id) == ("Saved from the summary", manager.user_id)
    await confirm(manager, summary)  # saving did not disturb the summary
    await reply_with(manager, "№")


async def test_a_past_day_in_the_calendar_cannot_be_picked(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    time_prompt = await type_text(manager, "Calendar")
    await manager.tap(RU("send.button_calendar"), time_prompt)
    month = await prompt_with(manager, plain(RU("send.calendar_pick_day", zone=CUT)).split(CUT)[0])
    assert "◀️" not in month.button_texts()  # no going back before this month
    draft = await current_draft(bot, manager)
    past = CalendarCallback(
        draft=draft_token(draft.id), kind=CalendarKind.DAY, year=2020, month=1, day=1
    ).pack()
    query_id = await forge_tap(standin, manager, month, past)
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.calendar_past")
    assert (await current_draft(bot, manager)).date_send is None
    await manager.tap("▶️", month)  # the calendar still works
    await prompt_with(manager, plain(RU("send.calendar_pick_day", zone=CUT)).split(CUT)[0])
