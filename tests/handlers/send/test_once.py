"""Exactly one dispatch per confirmed draft: double taps, redelivered updates, an SMS
service that is down, slow, loses its answer or refuses, and a crash mid-send."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from handlers.send import confirm as confirm_module
from storage import DraftState
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    card_head,
    confirm,
    confirm_data,
    creates,
    current_draft,
    forge_tap,
    pick_book,
    prompt_with,
    reply_with,
    start_send,
    summary_for_book,
    summary_head,
    time_head,
    type_text,
)
from tests.support.texts import CUT, head


def bot_messages(user: SimUser) -> int:
    return sum(1 for message in user.messages if message.from_bot)


async def test_the_same_confirm_delivered_twice_creates_one_dispatch(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    summary = await summary_for_book(manager)
    before = bot_messages(manager)
    update = await confirm(manager, summary)
    card = await reply_with(manager, card_head())
    assert card.message_id == summary.message_id  # the summary became the card
    answers = len(standin.calls_to("answerCallbackQuery"))
    await standin.redeliver(update)
    dispatch_id = max(bot.emulator.state.dispatches)
    again = await standin.wait_for_call("answerCallbackQuery", answers + 1, answered=False)
    assert again.params["text"] == RU("send.already_sent", id=dispatch_id)  # a toast
    assert bot_messages(manager) == before
    assert len(creates(bot)) == 1
    draft = await current_draft(bot, manager)
    assert (draft.state, draft.dispatch_id) == (DraftState.SENT, dispatch_id)


async def test_two_quick_taps_on_confirm_create_one_dispatch(bot: BotUnderTest, manager: SimUser):
    summary = await summary_for_book(manager)
    before = bot_messages(manager)
    first = await manager.send_callback(confirm_data(summary), summary)
    second = await manager.send_callback(confirm_data(summary), summary)  # before any answer
    await reply_with(manager, card_head())
    answers = {
        (await manager.wait_for_callback_answer(update["callback_query"]["id"])).text
        for update in (first, second)
    }
    assert RU("send.sending") in answers
    assert bot_messages(manager) == before  # no "already sent" message, only toasts
    assert len(creates(bot)) == 1


async def test_the_service_down_at_confirm_keeps_the_draft_then_it_sends(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    bot.emulator.state.faults.update({"down": True})
    await confirm(manager, summary)
    again = await reply_with(manager, RU("sms_errors.unavailable"))
    assert again.message_id == summary.message_id  # the summary, in place, to confirm again
    assert RU("send.button_confirm") in again.button_texts()
    assert creates(bot) == []
    assert (await current_draft(bot, manager)).state is DraftState.PENDING

    bot.emulator.state.faults.update({"down": False})
    await confirm(manager, again)
    await reply_with(manager, card_head())
    assert [post["status"] for post in creates(bot)] == [200]


async def test_typed_numbers_and_the_service_down_nothing_is_posted(
    bot: BotUnderTest, manager: SimUser
):
    await start_send(manager)
    await manager.send_text("380711112233")
    time_prompt = await type_text(manager, "To typed numbers")
    await manager.tap(RU("send.button_now"), time_prompt)
    summary = await prompt_with(manager, summary_head())
    bot.emulator.state.faults.update({"down": True})
    await confirm(manager, summary)
    await reply_with(manager, RU("sms_errors.unavailable"))
    assert creates(bot) == []
    assert (await current_draft(bot, manager)).state is DraftState.PENDING


async def test_a_lost_answer_says_unknown_and_a_second_tap_sends_nothing(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    summary = await summary_for_book(manager)
    bot.emulator.state.faults.update({"lose_create_rate": 1.0})
    await confirm(manager, summary)
    unknown = await reply_with(manager, head(RU("send.outcome_unknown")))
    assert unknown.message_id == summary.message_id and not unknown.inline_keyboard
    assert (await current_draft(bot, manager)).state is DraftState.UNKNOWN

    bot.emulator.state.faults.update({"lose_create_rate": 0.0})
    query_id = await forge_tap(standin, manager, unknown, confirm_data(summary))
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.already_unknown")
    assert len(creates(bot)) == 1


async def test_a_draft_left_sending_by_a_crash_is_unknown_after_the_restart(
    bot: BotUnderTest, manager: SimUser
):
    await summary_for_book(manager)
    draft = await current_draft(bot, manager)
    assert await bot.store.drafts.claim_for_sending(draft.id)  # the crash came mid-send

    await bot.restart()

    await reply_with(manager, head(RU("send.interrupted")))
    stored = await bot.store.drafts.get(draft.id)
    assert stored is not None and stored.state is DraftState.UNKNOWN
    assert creates(bot) == []
    await manager.send_text("anything")  # the conversation is over: no step hint
    reply = await manager.wait_for_reply()
    assert RU("send.hint_summary") not in (reply.text or "")


async def test_a_time_the_server_finds_past_sends_back_to_the_time_step(
    bot: BotUnderTest, manager: SimUser
):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    time_prompt = await type_text(manager, "Later today")
    await manager.tap(RU("send.button_in_hour"), time_prompt)
    summary = await prompt_with(manager, summary_head())
    bot.emulator.clock.advance(2 * 3600)  # the service's clock runs past the chosen time

    await confirm(manager, summary)
    time_prompt = await reply_with(manager, RU("sms_errors.invalid_dispatch_date"))
    assert time_head() in (time_prompt.text or "")  # the time step, in place, with why
    assert (await current_draft(bot, manager)).state is DraftState.PENDING

    await manager.tap(RU("send.button_now"), time_prompt)
    summary = await prompt_with(manager, summary_head())  # straight back to the summary
    await confirm(manager, summary)
    await reply_with(manager, card_head())
    assert [post["status"] for post in creates(bot)] == [400, 200]


async def test_a_time_passed_while_waiting_is_caught_before_sending(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    draft = await current_draft(bot, manager)
    past = datetime(2020, 1, 1, tzinfo=UTC)
    await bot.store.drafts.update_content(draft.id, date_send=past)
    await confirm(manager, summary)
    step = await reply_with(manager, RU("send.time_passed"))
    assert time_head() in (step.text or "") and step.inline_keyboard
    assert creates(bot) == []


async def test_a_slow_create_shows_still_waiting_once(
    bot: BotUnderTest, manager: SimUser, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(confirm_module, "SLOW_CREATE_NOTICE_SECONDS", 0.2)
    summary = await summary_for_book(manager)
    bot.emulator.state.faults.update({"latency_ms": 600})
    await confirm(manager, summary)
    waiting = await reply_with(manager, RU("send.still_waiting"))
    assert waiting.message_id == summary.message_id and not waiting.inline_keyboard
    done = await reply_with(manager, head(RU("send.sent_line", id=CUT)))
    assert done.message_id == summary.message_id  # the summary, now the live card
    assert RU("send.still_waiting") not in (done.text or "")
    assert card_head() in (done.text or "")
    assert len(creates(bot)) == 1


async def test_a_quick_create_turns_the_summary_into_the_card_in_one_edit(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    summary = await summary_for_book(manager)
    edits_before = len(standin.calls_to("editMessageText"))
    await confirm(manager, summary)
    card = await reply_with(manager, card_head())
    assert card.message_id == summary.message_id
    assert len(standin.calls_to("editMessageText")) == edits_before + 1


async def test_a_create_slower_than_a_moment_takes_the_buttons_off_first(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(confirm_module, "BUTTONS_STAY_SECONDS", 0.1)
    summary = await summary_for_book(manager)
    bot.emulator.state.faults.update({"latency_ms": 300})
    edits_before = len(standin.calls_to("editMessageText"))
    await confirm(manager, summary)
    await reply_with(manager, card_head())
    stripped, card = standin.calls_to("editMessageText")[edits_before:]
    assert stripped.params["message_id"] == card.params["message_id"] == summary.message_id
    assert "reply_markup" not in stripped.params or not stripped.params["reply_markup"]
    assert RU("send.summary_title") in stripped.params["text"]  # the summary, without buttons
    assert len(creates(bot)) == 1


async def test_a_quick_refusal_leaves_no_confirm_button_behind(bot: BotUnderTest, manager: SimUser):
    # The outcome shows the step that fixes it in the same message, with that step's buttons.
    summary = await summary_for_book(manager)
    bot.emulator.state.faults.update({"down": True})
    await confirm(manager, summary)
    again = await reply_with(manager, head(RU("sms_errors.unavailable")))
    assert again.message_id == summary.message_id
    assert RU("send.button_confirm") in again.button_texts()  # the summary, to try again
    assert len(creates(bot)) == 0


async def test_a_rejected_token_at_confirm_tells_the_user_and_the_admins(
    bot: BotUnderTest, manager: SimUser, admin: SimUser
):
    summary = await summary_for_book(manager)
    bot.emulator.state.blocked = True
    await confirm(manager, summary)
    await reply_with(manager, head(RU("sms_errors.token_rejected")))
    await reply_with(admin, head(RU("sms_errors.admin_token_rejected")))
    assert (await current_draft(bot, manager)).state is DraftState.PENDING
    assert creates(bot) == []
