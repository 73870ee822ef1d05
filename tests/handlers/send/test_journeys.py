"""Longer journeys: editing from the summary, a restart mid-way, English, Repeat."""

from __future__ import annotations

from handlers.common.callbacks import CardAction, CardCallback
from storage import DraftState, Role
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    EN,
    RU,
    confirm,
    creates,
    current_draft,
    forge_tap,
    pick_book,
    prompt_with,
    recipients_head,
    reply_with,
    send_now,
    start_send,
    summary_for_book,
    summary_head,
    text_head,
    time_head,
    type_numbers,
    type_text,
)


async def test_edit_from_the_summary_changes_one_step_and_returns(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager, "First text")
    await manager.tap(RU("send.button_edit"), summary)
    edit_menu = await prompt_with(manager, summary_head())
    await manager.tap(RU("send.button_edit_text"), edit_menu)
    await prompt_with(manager, text_head())
    await manager.send_text("Second text")
    summary = await prompt_with(manager, summary_head())  # straight back, no time step
    assert "Second text" in (summary.text or "")

    await manager.tap(RU("send.button_edit"), summary)
    edit_menu = await prompt_with(manager, summary_head())
    await manager.tap(RU("send.button_edit_recipients"), edit_menu)
    await prompt_with(manager, recipients_head())
    await manager.send_text("0711112233")
    summary = await prompt_with(manager, summary_head())
    assert RU.plural("send.n_numbers", 1) in (summary.text or "")

    await manager.tap(RU("send.button_edit"), summary)
    edit_menu = await prompt_with(manager, summary_head())
    await manager.tap(RU("send.button_edit_time"), edit_menu)
    time_prompt = await prompt_with(manager, time_head())
    await manager.tap(RU("send.button_tomorrow"), time_prompt)
    summary = await prompt_with(manager, summary_head())
    assert "09:00 (MSK)" in (summary.text or "")

    await confirm(manager, summary)
    await reply_with(manager, "№")
    body = creates(bot)[0]["body"]
    assert body["message"] == "Second text"
    assert body["phonesList"] == ["380711112233"]
    assert body["dateSend"].endswith(" 09:00:00")


async def test_the_summary_back_button_restores_confirm(manager: SimUser):
    summary = await summary_for_book(manager)
    await manager.tap(RU("send.button_edit"), summary)
    edit_menu = await prompt_with(manager, summary_head())
    await manager.tap(RU("send.button_back"), edit_menu)
    restored = await prompt_with(manager, summary_head())
    assert RU("send.button_confirm") in restored.button_texts()


async def test_a_restart_in_the_middle_continues_the_draft(bot: BotUnderTest, manager: SimUser):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    await manager.send_text("Written before the restart")
    time_prompt = await prompt_with(manager, time_head())

    await bot.restart()

    await manager.tap(RU("send.button_now"), time_prompt)
    summary = await prompt_with(manager, summary_head())
    text = summary.text or ""
    assert "name1" in text and "Written before the restart" in text
    await confirm(manager, summary)
    await reply_with(manager, "№")
    assert len(creates(bot)) == 1


async def test_a_restart_keeps_the_step_for_typed_input(bot: BotUnderTest, manager: SimUser):
    await start_send(manager)
    await bot.restart()
    await type_numbers(manager, "380711112233")
    await bot.restart()
    time_prompt = await type_text(manager, "After two restarts")
    summary = await send_now(manager, time_prompt)
    assert RU.plural("send.n_numbers", 1) in (summary.text or "")


async def test_an_english_user_gets_english(bot: BotUnderTest):
    anna = await bot.user(2100, Role.MANAGER, language="en")
    summary = await summary_for_book(anna, "Hello", t=EN)
    text = summary.text or ""
    assert "Check the dispatch" in text and "Sending: right after you confirm" in text
    assert EN("send.button_confirm") in summary.button_texts()
    await confirm(anna, summary, t=EN)
    card = await reply_with(anna, "Dispatch #")
    assert "Status" in (card.text or "")


async def test_repeat_from_the_card_makes_a_new_draft_at_the_time_step(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager, "Weekly reminder")
    await confirm(manager, summary)
    card = await prompt_with(manager, "№")
    first_id = max(bot.emulator.state.dispatches)

    await manager.tap(RU("card.button_repeat"), card)
    time_prompt = await prompt_with(manager, time_head())
    draft = await current_draft(bot, manager)
    assert (draft.book_id, draft.text, draft.state) == (1, "Weekly reminder", DraftState.PENDING)
    summary = await send_now(manager, time_prompt)
    assert "name1" in (summary.text or "")
    await confirm(manager, summary)
    await reply_with(manager, f"№{first_id + 1}")
    assert [post["body"]["message"] for post in creates(bot)] == ["Weekly reminder"] * 2


async def test_repeat_of_a_dispatch_made_elsewhere_is_refused(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    await manager.send_text("/start")
    message = await manager.wait_for_reply()
    data = CardCallback(action=CardAction.REPEAT, dispatch_id=1).pack()
    query_id = await forge_tap(standin, manager, message, data)
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.repeat_impossible")
