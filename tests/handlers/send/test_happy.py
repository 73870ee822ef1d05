"""The send conversation when all goes well: books, typed numbers, files, templates,
the calendar, editing from the summary, a restart mid-way, English, Repeat."""

from __future__ import annotations

from storage import DraftState
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    BOOK1_PHONES,
    RU,
    card_head,
    confirm,
    creates,
    current_draft,
    pick_book,
    prompt_with,
    reply_with,
    send_now,
    start_send,
    summary_for_book,
    summary_head,
    text_head,
    time_head,
    type_text,
)
from tests.support.texts import plain


async def test_manager_sends_to_a_book_with_the_buttons_and_gets_the_card(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager, "Sale today: -20%")
    text = summary.text or ""
    assert "name1" in text and "Sale today: -20%" in text
    assert plain(RU("send.summary_counts", valid=2, invalid="")) in text
    assert plain(RU("send.summary_sms", parts=1, valid=2, total=2)) in text

    await confirm(manager, summary)
    answer = await manager.wait_for_callback_answer()
    card = await reply_with(manager, card_head())
    assert answer.text == RU("send.sending")

    posts = creates(bot)
    assert len(posts) == 1
    assert posts[0]["body"]["phonesList"] == BOOK1_PHONES
    assert posts[0]["body"]["message"] == "Sale today: -20%"
    assert "dateSend" not in posts[0]["body"]
    assert posts[0]["status"] == 200
    dispatch_id = max(bot.emulator.state.dispatches)
    assert f"№{dispatch_id}" in (card.text or "")

    draft = await current_draft(bot, manager)
    assert (draft.state, draft.dispatch_id) == (DraftState.SENT, dispatch_id)
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.creator_id == manager.user_id
    assert tracked.recipients_desc == "name1"
    assert await bot.store.subscriptions.is_subscribed(dispatch_id, manager.user_id)
    audit = await bot.store.audit.recent(5)
    assert any(
        entry.action == "dispatch.create" and entry.dispatch_id == dispatch_id for entry in audit
    )
    assert await bot.store.fsm.get_state(_key(bot, manager)) is None


def _key(bot: BotUnderTest, user: SimUser):
    from aiogram.fsm.storage.base import StorageKey

    bot_id = int(bot.settings.BOT_TOKEN.get_secret_value().split(":")[0])
    return StorageKey(bot_id=bot_id, chat_id=user.chat_id, user_id=user.user_id)


async def test_typed_numbers_are_normalised_and_the_invalid_ones_listed_back(
    bot: BotUnderTest, manager: SimUser
):
    await start_send(manager)
    await manager.send_text(
        "+380 71 123-45-67, 0711234568; 711234569\n380711234567\n12345\n+79491234567\n<b>x</b>"
    )
    # The next step says, once, what was taken and what was left out.
    report = await prompt_with(manager, text_head())
    text = report.text or ""
    assert "12345" in text and "<b>x</b>" in text  # escaped, shown as typed
    assert "+79491234567 — " + RU("send.problem_foreign") in text
    assert RU.plural("send.n_numbers", 3) in text and "ещё 3 не подошли" in text
    assert RU.plural("send.duplicates_dropped", 1) in text
    time_prompt = await type_text(manager, "Typed")
    summary = await send_now(manager, time_prompt)
    assert RU.plural("send.n_numbers", 3) in (summary.text or "")
    await confirm(manager, summary)
    await reply_with(manager, "№")
    assert creates(bot)[0]["body"]["phonesList"] == [
        "380711234567",
        "380711234568",
        "380711234569",
    ]


async def test_a_list_with_no_valid_number_keeps_the_step(bot: BotUnderTest, manager: SimUser):
    prompt = await start_send(manager)
    await manager.send_text("12345, hello")
    report = await reply_with(manager, RU("send.no_valid_numbers"))
    assert "12345" in (report.text or "")
    assert await bot.store.fsm.get_state(_key(bot, manager)) == "SendForm:recipients"
    await pick_book(manager, prompt)  # the book buttons still work


async def test_long_lists_of_invalid_numbers_are_cut_with_a_count(manager: SimUser):
    await start_send(manager)
    await manager.send_text("\n".join(f"bad{i}" for i in range(25)) + "\n380711234567")
    report = await prompt_with(manager, text_head())
    text = report.text or ""
    assert "bad9" in text and "bad10" not in text
    assert RU("send.invalid_more", count=15) in text


async def test_a_csv_upload_gives_the_numbers(bot: BotUnderTest, manager: SimUser):
    await start_send(manager)
    csv = "name;phone\nAnna;+380711112233\nBoris;0711112234\nBad;99\n".encode("cp1251")
    await manager.send_document("clients.csv", csv, "text/csv")
    await prompt_with(manager, text_head())
    draft = await current_draft(bot, manager)
    assert draft.phones == ["380711112233", "380711112234"]
    assert draft.book_id is None


async def test_a_txt_upload_in_utf8_with_a_bom(bot: BotUnderTest, manager: SimUser):
    await start_send(manager)
    await manager.send_document("n.txt", "\ufeff380711112233\n0711112234\n".encode(), "text/plain")
    await prompt_with(manager, text_head())
    assert (await current_draft(bot, manager)).phones == ["380711112233", "380711112234"]


async def test_other_files_are_refused_and_the_step_stays(bot: BotUnderTest, manager: SimUser):
    await start_send(manager)
    await manager.send_document("photo.pdf", b"%PDF-1.4", "application/pdf")
    await reply_with(manager, RU("send.file_wrong_type"))
    await manager.send_document("big.txt", b"380711112233\n" * 1_700_000, "text/plain")
    await reply_with(manager, RU("send.file_too_big", limit_mb=20))
    assert await bot.store.fsm.get_state(_key(bot, manager)) == "SendForm:recipients"


async def test_a_latin_text_names_the_characters_that_make_it_ucs2(manager: SimUser):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    await manager.send_text("Sale & <b>" + "x" * 70 + " 🙂")
    report = await prompt_with(manager, time_head())
    text = report.text or ""
    assert "83" in text  # characters as the API counts them: the emoji is two
    assert RU.plural("send.parts", 2) in text
    assert "🙂. " in text and "&" not in text.split("160:")[1]  # "&" and "<" are GSM-7


async def test_a_cyrillic_text_is_said_to_be_cyrillic_not_spelled_out(manager: SimUser):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    await manager.send_text("Здравствуйте, скидки до пятницы")
    report = await prompt_with(manager, time_head())
    text = report.text or ""
    assert RU("send.cyrillic_note") in text
    assert "З д р" not in text


async def test_templates_are_saved_and_picked(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager, "Our shop opens at nine tomorrow morning")
    await manager.tap(RU("send.button_save_template"), summary)
    saved = await manager.wait_for_callback_answer()
    assert saved.text == RU("send.template_saved", name="Our shop opens at nine")
    await manager.tap(RU("send.button_save_template"), summary)
    again = await manager.wait_for_callback_answer()
    assert again.text == RU("send.template_already_saved")
    assert await bot.store.templates.count() == 1

    await manager.send_text("/cancel")
    await manager.wait_for_reply()
    prompt = await start_send(manager)
    text_prompt = await pick_book(manager, prompt)
    await manager.tap(RU("send.button_templates"), text_prompt)
    listed = await prompt_with(manager, "📄")
    await manager.tap("📄 Our shop opens at nine", listed)
    await prompt_with(manager, time_head())
    assert (await current_draft(bot, manager)).text == "Our shop opens at nine tomorrow morning"


async def test_no_templates_yet_is_said_in_the_answer(manager: SimUser):
    prompt = await start_send(manager)
    text_prompt = await pick_book(manager, prompt)
    await manager.tap(RU("send.button_templates"), text_prompt)
    assert (await manager.wait_for_callback_answer()).text == RU("send.no_templates")


async def test_the_calendar_leads_to_a_date_in_the_api_zone(bot: BotUnderTest, manager: SimUser):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    time_prompt = await type_text(manager, "Calendar")
    await manager.tap(RU("send.button_calendar"), time_prompt)
    weeks = await prompt_with(manager, "📅")
    assert all(" " not in label or label == "1" for label in weeks.button_texts()[7:14])
    await manager.tap("▶️", weeks)  # the next five weeks: every day is in the future
    weeks = await prompt_with(manager, "📅")
    await manager.tap("15", weeks)
    hours = await prompt_with(manager, "15 ")
    assert "·" not in hours.button_texts()  # a day ahead: every hour can be picked
    await manager.tap("10", hours)
    minutes = await prompt_with(manager, "10:__")
    await manager.tap("10:30", minutes)
    summary = await prompt_with(manager, summary_head())
    assert "10:30 (MSK)" in (summary.text or "")
    draft = await current_draft(bot, manager)
    assert draft.date_send is not None
    local = draft.date_send.astimezone(bot.settings.timezone)
    assert (local.day, local.hour, local.minute) == (15, 10, 30)

    await confirm(manager, summary)
    await reply_with(manager, "№")
    assert creates(bot)[0]["body"]["dateSend"] == local.strftime("%d.%m.%Y %H:%M:%S")


async def test_many_templates_are_paged(bot: BotUnderTest, manager: SimUser):
    for number in range(10):
        await bot.store.templates.add(manager.user_id, f"Template {number:02d}", f"Text {number}")
    prompt = await start_send(manager)
    text_prompt = await pick_book(manager, prompt)
    await manager.tap(RU("send.button_templates"), text_prompt)
    first = await prompt_with(manager, "📄")
    assert "📄 Template 07" in first.button_texts() and "📄 Template 08" not in first.button_texts()
    await manager.tap("▶️", first)
    second = await prompt_with(manager, "📄")
    await manager.tap("📄 Template 09", second)
    await prompt_with(manager, time_head())
    assert (await current_draft(bot, manager)).text == "Text 9"
