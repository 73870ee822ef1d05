"""The stop list's screen through the real dispatcher: adding and removing numbers typed
or in a file, the pages, the export, refusals, and who may do it."""

from __future__ import annotations

from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.send import RU, forge_tap, prompt_with, reply_with
from tests.support.texts import CUT, head, plain
from tests.support.waiting import updates_handled

TITLE = head(RU.plural("stoplist.title", 0))


async def open_stop_list(admin: SimUser) -> StandinMessage:
    await admin.send_text("/stoplist")
    return await prompt_with(admin, TITLE.split("·")[0].strip())


async def asked_to_add(admin: SimUser) -> StandinMessage:
    screen = await open_stop_list(admin)
    await admin.tap(RU("stoplist.button_add"), screen)
    return await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)


async def stored(bot: BotUnderTest) -> list[str]:
    return await bot.store.stop_list.page(1000)


async def test_an_admin_adds_typed_numbers_and_sees_what_was_left_out(
    bot: BotUnderTest, admin: SimUser
):
    question = await asked_to_add(admin)
    assert plain(RU("stoplist.ask_add")) in (question.text or "")
    await admin.send_text("+380 71 123-45-67, 0711234568\nnot a number\n380711234567")
    result = await reply_with(admin, plain(RU("stoplist.added", added=2, already=0)))
    text = result.text or ""
    assert plain(RU.plural("send.duplicates_dropped", 1)) in text
    assert plain(RU.plural("send.invalid_title", 1)) in text
    assert "+380711234567" in text and "+380711234568" in text  # the first page, below
    assert await stored(bot) == ["380711234567", "380711234568"]

    entry = (await bot.store.audit.recent(1))[0]
    assert (entry.actor_id, entry.action) == (admin.user_id, "stoplist.add")
    assert entry.details == {"added": 2, "already": 0, "invalid": 1}  # counts, no numbers

    # The question is answered: the next text is not taken as numbers.
    await admin.send_text("380711234569")
    reply = await admin.wait_for_reply()
    assert plain(RU("stoplist.added", added=1, already=0)) not in (reply.text or "")
    assert len(await stored(bot)) == 2


async def test_numbers_already_on_the_list_are_counted_once(bot: BotUnderTest, admin: SimUser):
    await bot.store.stop_list.add(["380711234567"], admin.user_id)
    await asked_to_add(admin)
    await admin.send_text("380711234567\n380711234568")
    await reply_with(admin, plain(RU("stoplist.added", added=1, already=1)))


async def test_a_txt_and_a_csv_file_add_their_numbers(bot: BotUnderTest, admin: SimUser):
    await asked_to_add(admin)
    await admin.send_document(
        "staff.txt", "\ufeff380711112233\n0711112234\n".encode(), "text/plain"
    )
    await reply_with(admin, plain(RU("stoplist.added", added=2, already=0)))
    screen = await open_stop_list(admin)
    await admin.tap(RU("stoplist.button_add"), screen)
    await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    csv = "name;phone\nАнна;+380711112235\n".encode("cp1251")
    await admin.send_document("optout.csv", csv, "text/csv")
    await reply_with(admin, plain(RU("stoplist.added", added=1, already=0)))
    assert await stored(bot) == ["380711112233", "380711112234", "380711112235"]


async def test_bad_input_is_refused_and_the_question_stays(bot: BotUnderTest, admin: SimUser):
    await asked_to_add(admin)
    still = plain(RU("stoplist.still_asking"))
    await admin.send_document("list.pdf", b"%PDF-1.4", "application/pdf")
    refused = await reply_with(admin, still)
    assert plain(RU("send.file_wrong_type")) in (refused.text or "")
    await admin.send_document("list.txt", b"\x89PNG\x00\x00", "text/plain")
    refused = await reply_with(admin, still)
    assert plain(RU("send.file_not_text")) in (refused.text or "")
    await admin.send_text("hello, world")
    refused = await reply_with(admin, still)
    assert plain(RU("send.no_valid_numbers")) in (refused.text or "")
    await admin.send_sticker()
    refused = await reply_with(admin, still)
    assert plain(RU("stoplist.input_hint")) in (refused.text or "")
    assert await stored(bot) == []
    await admin.send_text("380711234567")  # still asked: now it is taken
    await reply_with(admin, plain(RU("stoplist.added", added=1, already=0)))


BADLY_TYPED = {
    "38071123456": "send.problem_wrong_length",  # a digit short
    "3807112345678": "send.problem_wrong_length",  # a digit too many
    "+7 999 123-45-67": "send.problem_foreign",
    "380501234567": "send.problem_wrong_operator",
    "38O711234567": "send.problem_not_digits",  # the letter O for a zero
    "<b>380711234567</b>": "send.problem_not_digits",
}


async def test_numbers_typed_badly_are_each_refused_with_why_and_none_is_kept(
    bot: BotUnderTest, admin: SimUser
):
    await asked_to_add(admin)
    await admin.send_text("\n".join(BADLY_TYPED))
    refused = await reply_with(admin, plain(RU("stoplist.still_asking")))
    text = refused.text or ""
    assert plain(RU("send.no_valid_numbers")) in text
    assert plain(RU.plural("send.invalid_title", len(BADLY_TYPED))) in text
    for typed, problem in BADLY_TYPED.items():
        assert f"{typed} — {plain(RU(problem))}" in text  # as typed, markup escaped
    assert await stored(bot) == []
    assert all(entry.action != "stoplist.add" for entry in await bot.store.audit.recent(5))


async def test_a_badly_typed_number_to_remove_leaves_the_list_as_it_was(
    bot: BotUnderTest, admin: SimUser
):
    await bot.store.stop_list.add(["380711234567"], admin.user_id)
    screen = await open_stop_list(admin)
    await admin.tap(RU("stoplist.button_remove"), screen)
    await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    await admin.send_text("38071123456")  # a digit short of the one on the list
    refused = await reply_with(admin, plain(RU("stoplist.still_asking")))
    assert plain(RU("send.problem_wrong_length")) in (refused.text or "")
    assert await stored(bot) == ["380711234567"]


async def test_a_command_while_asked_drops_the_question(bot: BotUnderTest, admin: SimUser):
    await asked_to_add(admin)
    await admin.send_text("/balance")
    await admin.wait_for_reply()
    await admin.send_text("380711234567")
    await admin.wait_for_reply()
    assert await stored(bot) == []


async def test_cancel_leaves_the_question(bot: BotUnderTest, admin: SimUser):
    question = await asked_to_add(admin)
    await admin.tap(RU("stoplist.button_cancel"), question)
    screen = await admin.wait_for_reply(lambda m: m.message_id == question.message_id)
    assert RU("stoplist.button_add") in screen.button_texts()
    await admin.send_text("380711234567")
    await admin.wait_for_reply()
    assert await stored(bot) == []


async def test_an_admin_removes_numbers(bot: BotUnderTest, admin: SimUser):
    await bot.store.stop_list.add(["380711234567", "380711234568"], admin.user_id)
    screen = await open_stop_list(admin)
    await admin.tap(RU("stoplist.button_remove"), screen)
    question = await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert plain(RU("stoplist.ask_remove")) in (question.text or "")
    await admin.send_text("380711234567, 380711234569")
    await reply_with(admin, plain(RU("stoplist.removed", removed=1, absent=1)))
    assert await stored(bot) == ["380711234568"]
    entry = (await bot.store.audit.recent(1))[0]
    assert (entry.action, entry.details) == ("stoplist.remove", {"removed": 1, "absent": 1})


async def test_the_list_is_shown_a_page_at_a_time(bot: BotUnderTest, admin: SimUser):
    numbers = [f"3807100000{index:02d}" for index in range(70)]
    await bot.store.stop_list.add(numbers, admin.user_id)
    screen = await open_stop_list(admin)
    text = screen.text or ""
    assert plain(RU.plural("stoplist.title", 70)) in text
    assert plain(RU("stoplist.page", page=1, pages=3)) in text
    assert "+380710000029" in text and "+380710000030" not in text
    await admin.tap("▶️", screen)
    second = await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert plain(RU("stoplist.page", page=2, pages=3)) in (second.text or "")
    assert "+380710000030" in (second.text or "") and "+380710000029" not in (second.text or "")
    assert {"◀️", "▶️"} <= set(second.button_texts())


async def test_the_list_is_exported_as_a_file(
    bot: BotUnderTest, admin: SimUser, standin: BotApiStandin
):
    await bot.store.stop_list.add(["380711234568", "380711234567"], admin.user_id)
    screen = await open_stop_list(admin)
    await admin.tap(RU("stoplist.button_export"), screen)
    sent = await admin.wait_for_reply(lambda m: m.document is not None)
    assert sent.document is not None and sent.document["file_name"].startswith("stop-list-")
    content = standin.state.files[sent.document["file_id"]].content
    assert content == b"380711234567\n380711234568\n"
    assert plain(RU.plural("stoplist.export_caption", 2, day=CUT)).split("\x00")[0] in (
        sent.caption or ""
    )
    await updates_handled(bot)
    entry = (await bot.store.audit.recent(1))[0]
    assert (entry.action, entry.details) == ("stoplist.export", {"numbers": 2})


async def test_an_empty_list_has_nothing_to_export(
    bot: BotUnderTest, admin: SimUser, standin: BotApiStandin
):
    screen = await open_stop_list(admin)
    assert plain(RU("stoplist.empty")) in (screen.text or "")
    assert RU("stoplist.button_export") not in screen.button_texts()
    query_id = await forge_tap(standin, admin, screen, "sl:e:0")
    assert (await admin.wait_for_callback_answer(query_id)).text == RU("stoplist.empty")


async def test_only_admins_keep_the_stop_list(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    await manager.send_text("/stoplist")
    await reply_with(manager, RU("admin.only_admins"))
    last = manager.last_bot_message()
    assert last is not None
    for data in ("sl:a:0", "sl:e:0", "sl:s:1"):
        query_id = await forge_tap(standin, manager, last, data)
        assert (await manager.wait_for_callback_answer(query_id)).text == RU("admin.not_allowed")
    assert await stored(bot) == []
