"""The stop list leaves its numbers out of every kind of send, right before the POST:
a book, typed numbers, a file, a repeat; the summary counts them, and a send with no
number left is refused with why. The emulator never receives a stopped number."""

from __future__ import annotations

from typing import Any

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
    prompt_with,
    recipients_head,
    reply_with,
    send_now,
    start_send,
    summary_for_book,
    text_head,
    time_head,
    type_text,
)
from tests.support.texts import plain

STOPPED = BOOK1_PHONES[0]
KEPT = BOOK1_PHONES[1]


def posted_phones(bot: BotUnderTest) -> list[list[str]]:
    return [post["body"]["phonesList"] for post in creates(bot)]


def assert_never_posted(bot: BotUnderTest, stopped: set[str]) -> None:
    assert not stopped & {phone for phones in posted_phones(bot) for phone in phones}


async def stop(bot: BotUnderTest, *phones: str) -> None:
    await bot.store.stop_list.add(phones, None)


def counts_line(valid: int, invalid: int = 0, stopped: int = 0) -> str:
    extra = RU("send.summary_invalid", invalid=invalid) if invalid else ""
    if stopped:
        extra += RU("send.summary_stopped", stopped=stopped)
    return plain(RU("send.summary_counts", valid=valid, invalid=extra))


async def sent(bot: BotUnderTest, user: SimUser, summary: Any) -> None:
    await confirm(user, summary)
    await reply_with(user, card_head())


async def test_a_book_is_sent_without_its_stopped_numbers(bot: BotUnderTest, manager: SimUser):
    await stop(bot, STOPPED)
    prompt = await start_send(manager)
    await manager.tap("name1", prompt)
    text_step = await prompt_with(manager, text_head())
    assert plain(RU.plural("send.stopped_left_out", 1)) in (text_step.text or "")
    time_prompt = await type_text(manager, "Without the stopped one")
    summary = await send_now(manager, time_prompt)
    assert counts_line(1, stopped=1) in (summary.text or "")
    await sent(bot, manager, summary)
    assert posted_phones(bot) == [[KEPT]]
    entry = next(e for e in await bot.store.audit.recent(5) if e.action == "dispatch.create")
    assert entry.details == {"phones": 1, "stopped": 1}


async def test_a_number_stopped_after_the_tap_is_left_out_at_confirm(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)  # the book counted with both numbers
    assert counts_line(2) in (summary.text or "")
    await stop(bot, STOPPED)
    await sent(bot, manager, summary)
    assert posted_phones(bot) == [[KEPT]]


async def test_typed_numbers_are_sent_without_the_stopped_ones(bot: BotUnderTest, manager: SimUser):
    await stop(bot, "380711112233")
    await start_send(manager)
    await manager.send_text("380711112233\n380711112234\n0711112235")
    text_step = await prompt_with(manager, text_head())
    assert plain(RU.plural("send.stopped_left_out", 1)) in (text_step.text or "")
    time_prompt = await type_text(manager, "Typed")
    summary = await send_now(manager, time_prompt)
    assert counts_line(2, stopped=1) in (summary.text or "")
    await sent(bot, manager, summary)
    assert posted_phones(bot) == [["380711112234", "380711112235"]]


async def test_a_file_is_sent_without_the_stopped_numbers(bot: BotUnderTest, manager: SimUser):
    await stop(bot, "380711112234")
    await start_send(manager)
    await manager.send_document("n.txt", b"380711112233\n380711112234\n", "text/plain")
    time_prompt = await type_text(manager, "From a file")
    summary = await send_now(manager, time_prompt)
    assert counts_line(1, stopped=1) in (summary.text or "")
    await sent(bot, manager, summary)
    assert posted_phones(bot) == [["380711112233"]]


async def test_a_repeat_is_sent_without_numbers_stopped_since(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager, "Weekly")
    await confirm(manager, summary)
    card = await prompt_with(manager, card_head())
    await stop(bot, STOPPED)
    await manager.tap(RU("card.button_repeat"), card)
    time_prompt = await prompt_with(manager, time_head())
    assert plain(RU.plural("send.stopped_left_out", 1)) in (time_prompt.text or "")
    summary = await send_now(manager, time_prompt)
    assert counts_line(1, stopped=1) in (summary.text or "")
    await sent(bot, manager, summary)
    assert posted_phones(bot) == [BOOK1_PHONES, [KEPT]]


async def test_a_repeat_of_typed_numbers_counts_the_stopped_ones(
    bot: BotUnderTest, manager: SimUser
):
    await start_send(manager)
    await manager.send_text("380711112233, 380711112234")
    time_prompt = await type_text(manager, "Typed, repeated")
    summary = await send_now(manager, time_prompt)
    await confirm(manager, summary)
    card = await prompt_with(manager, card_head())
    await stop(bot, "380711112233")
    await manager.tap(RU("card.button_repeat"), card)
    time_prompt = await prompt_with(manager, time_head())
    summary = await send_now(manager, time_prompt)
    assert counts_line(1, stopped=1) in (summary.text or "")
    await sent(bot, manager, summary)
    assert posted_phones(bot)[-1] == ["380711112234"]


async def test_a_book_whose_numbers_are_all_stopped_is_refused_at_the_tap(
    bot: BotUnderTest, manager: SimUser
):
    await stop(bot, *BOOK1_PHONES)
    prompt = await start_send(manager)
    await manager.tap("name1", prompt)
    refused = await reply_with(manager, plain(RU.plural("send.all_stopped", 2)))
    assert recipients_head() in (refused.text or "")
    await manager.send_text("380711112233, 380711112233")
    await prompt_with(manager, text_head())  # other numbers will do
    assert creates(bot) == []


async def test_typed_numbers_all_stopped_are_refused(bot: BotUnderTest, manager: SimUser):
    await stop(bot, "380711112233")
    await start_send(manager)
    await manager.send_text("380711112233")
    refused = await reply_with(manager, plain(RU.plural("send.all_stopped", 1)))
    assert recipients_head() in (refused.text or "")


async def test_a_send_stopped_whole_after_the_summary_is_refused_with_why(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    await stop(bot, *BOOK1_PHONES)
    await confirm(manager, summary)
    refused = await reply_with(manager, plain(RU.plural("send.all_stopped", 2)))
    assert refused.message_id == summary.message_id
    assert recipients_head() in (refused.text or "")
    assert (await current_draft(bot, manager)).state is DraftState.PENDING
    assert creates(bot) == []


async def test_a_repeat_with_every_number_stopped_is_refused(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    card = await prompt_with(manager, card_head())
    await stop(bot, *BOOK1_PHONES)
    await manager.tap(RU("card.button_repeat"), card)
    answer = await manager.wait_for_callback_answer()
    assert answer.text == plain(RU.plural("send.all_stopped", 2))
    assert len(creates(bot)) == 1


async def test_no_stopped_number_ever_reaches_the_service(bot: BotUnderTest, admin: SimUser):
    stopped = {STOPPED, "380711112233"}
    await stop(bot, *stopped)
    summary = await summary_for_book(admin)
    await sent(bot, admin, summary)
    await start_send(admin)
    await admin.send_text("380711112233, 380711112299")
    time_prompt = await type_text(admin, "Typed")
    summary = await send_now(admin, time_prompt)
    await sent(bot, admin, summary)
    assert len(creates(bot)) == 2
    assert_never_posted(bot, stopped)
