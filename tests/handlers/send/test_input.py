"""Input a step cannot use gets the reason or a hint, and the step stays."""

from __future__ import annotations

import pytest

from handlers.send.callbacks import ConfirmCallback
from storage import DraftState
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    creates,
    current_draft,
    forge_tap,
    pick_book,
    prompt_with,
    recipients_head,
    reply_with,
    start_send,
    summary_for_book,
    summary_head,
    text_head,
    time_head,
    type_text,
)
from tests.support.texts import CUT, head, plain

HINTS = {
    "SendForm:recipients": "send.hint_recipients",
    "SendForm:text": "send.hint_text",
    "SendForm:time": "send.hint_time",
    "SendForm:summary": "send.hint_summary",
}


async def fsm_state(bot: BotUnderTest, user: SimUser) -> str | None:
    row = await bot.store.db.fetchone(
        "SELECT state FROM fsm_records WHERE user_id = ?", (user.user_id,)
    )
    return None if row is None else row["state"]


async def go_to(step: str, user: SimUser) -> None:
    prompt = await start_send(user)
    if step == "SendForm:recipients":
        return
    await pick_book(user, prompt)
    if step == "SendForm:text":
        return
    time_prompt = await type_text(user, "Some text")
    if step == "SendForm:time":
        return
    await user.tap(RU("send.button_now"), time_prompt)
    await prompt_with(user, summary_head())


async def expect_hint(bot: BotUnderTest, user: SimUser, step: str) -> None:
    hinted = await reply_with(user, head(RU(HINTS[step])))
    assert hinted.inline_keyboard  # the step itself, with the hint on it: not a new copy
    assert await fsm_state(bot, user) == step


@pytest.mark.parametrize("step", list(HINTS))
async def test_a_sticker_and_a_photo_get_the_hint_on_the_step_itself(
    bot: BotUnderTest, manager: SimUser, step: str
):
    await go_to(step, manager)
    before = (await current_draft(bot, manager)).updated_at
    messages = len(manager.messages)

    await manager.send_sticker()
    await expect_hint(bot, manager, step)
    edits = len(bot.standin.calls_to("editMessageText"))
    await manager.send_photo()  # the same hint again: the step already shows it
    await bot.standin.wait_for_call("editMessageText", edits + 1, answered=False)
    assert await fsm_state(bot, manager) == step

    draft = await current_draft(bot, manager)
    assert draft.state is DraftState.PENDING and draft.updated_at == before
    assert len(manager.messages) == messages + 2  # the sticker and the photo: no bot message


@pytest.mark.parametrize("step", list(HINTS))
async def test_the_menu_and_commands_work_mid_way_and_the_draft_waits(
    bot: BotUnderTest, manager: SimUser, step: str
):
    await go_to(step, manager)
    draft = await current_draft(bot, manager)

    await manager.send_text(RU("menu.balance"))
    balance = await reply_with(manager, "42")  # the balance, not a hint about the step
    assert balance.message_id not in {m.message_id for m in manager.messages[:-1]}
    await manager.send_text("/dispatches")
    await reply_with(manager, RU("dispatches.list_empty")[:20])
    assert await fsm_state(bot, manager) is None  # parked: plain text is not taken as input

    await manager.send_text("/send")
    offer = await reply_with(manager, RU("send.resume_question"))
    await manager.tap(RU("send.button_resume"), offer)
    # The offer becomes the step, in place.
    back = await manager.wait_for_reply(lambda m: m.message_id == offer.message_id)
    assert back.inline_keyboard and RU("send.resume_question") not in (back.text or "")
    assert await fsm_state(bot, manager) == step
    assert (await current_draft(bot, manager)).id == draft.id


async def test_start_over_abandons_the_unfinished_draft(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:time", manager)
    first = await current_draft(bot, manager)
    await manager.send_text("/send")
    offer = await reply_with(manager, RU("send.resume_question"))
    await manager.tap(RU("send.button_discard"), offer)
    await prompt_with(manager, recipients_head())
    assert (await bot.store.drafts.get(first.id)).state is DraftState.ABANDONED
    assert (await current_draft(bot, manager)).id != first.id


async def test_a_parked_draft_survives_a_restart(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_text("/start")
    await manager.wait_for_reply()
    await bot.restart()
    await manager.send_text(RU("menu.send"))
    offer = await reply_with(manager, RU("send.resume_question"))
    assert "name1" in (offer.text or "")
    await manager.tap(RU("send.button_resume"), offer)
    await prompt_with(manager, text_head())


async def test_a_txt_file_at_the_text_step_is_the_text(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_document("text.txt", "\ufeffПривет из файла\n".encode(), "text/plain")
    await prompt_with(manager, time_head())
    assert (await current_draft(bot, manager)).text == "Привет из файла"


async def test_another_document_at_the_text_step_gets_the_hint(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_document("text.pdf", b"%PDF", "application/pdf")
    await expect_hint(bot, manager, "SendForm:text")


async def test_a_text_of_5001_characters_is_refused_and_5000_taken(
    bot: BotUnderTest, manager: SimUser
):
    await go_to("SendForm:text", manager)
    await manager.send_text("a" * 5001)  # the app sends it as two messages
    refusal = await reply_with(manager, "5001")
    assert plain(RU("send.text_too_long", length=5001, limit=5000)) in (refusal.text or "")
    assert await fsm_state(bot, manager) == "SendForm:text"
    assert (await current_draft(bot, manager)).text == ""

    await manager.send_text("a" * 5000)
    question = await prompt_with(manager, "5000")
    await manager.tap(RU("send.button_paste_yes"), question)
    await prompt_with(manager, time_head())
    assert (await current_draft(bot, manager)).text == "a" * 5000


async def test_a_text_of_emoji_counts_as_the_api_counts_it(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_text("🙂" * 2501)  # 2501 characters, 5002 UTF-16 units
    await reply_with(manager, "5002")
    assert await fsm_state(bot, manager) == "SendForm:text"


async def test_an_empty_text_is_refused(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_text("   ")
    await reply_with(manager, RU("send.text_empty"))
    assert await fsm_state(bot, manager) == "SendForm:text"


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("32.13.2026 25:00", "malformed"),
        ("tomorrow", "malformed"),
        ("12.05.2030", "malformed"),
        ("31.02.2027 10:00", "no_such_date"),
        ("29.02.2029 10:00", "no_such_date"),
        ("01.01.2020 10:00", "past"),
    ],
)
async def test_bad_dates_are_refused_and_the_time_is_asked_again(
    bot: BotUnderTest, manager: SimUser, typed: str, problem: str
):
    await go_to("SendForm:time", manager)
    await manager.send_text(typed)
    refusal = await reply_with(manager, head(RU(f"send.time_{problem}", now=CUT, typed=CUT)))
    assert time_head() in (refusal.text or "") and refusal.inline_keyboard  # the step, in place
    assert await fsm_state(bot, manager) == "SendForm:time"
    assert (await current_draft(bot, manager)).date_send is None


async def test_a_typed_date_with_seconds_is_taken_in_the_api_zone(
    bot: BotUnderTest, manager: SimUser
):
    await go_to("SendForm:time", manager)
    await manager.send_text("24.12.2035 18:45:30")
    summary = await prompt_with(manager, summary_head())
    assert "24.12.2035 18:45:30 (MSK)" in (summary.text or "")
    draft = await current_draft(bot, manager)
    assert draft.date_send is not None
    assert draft.date_send.astimezone(bot.settings.timezone).strftime("%d.%m.%Y %H:%M:%S") == (
        "24.12.2035 18:45:30"
    )


async def test_cancel_mid_way_abandons_the_draft(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_text("/cancel")
    reply = await manager.wait_for_reply()
    assert reply.reply_keyboard is not None  # the main menu
    assert (await current_draft(bot, manager)).state is DraftState.ABANDONED
    assert await fsm_state(bot, manager) is None
    await manager.send_text("Now just text")  # no longer taken as the SMS text
    await manager.wait_for_reply()
    draft = await current_draft(bot, manager)
    assert (draft.state, draft.text) == (DraftState.ABANDONED, "")


async def test_the_cancel_button_abandons_the_draft_and_shows_the_menu(
    bot: BotUnderTest, manager: SimUser
):
    summary = await summary_for_book(manager)
    await manager.tap(RU("send.button_cancel"), summary)
    cancelled = await reply_with(manager, RU("send.cancelled"))
    assert cancelled.message_id == summary.message_id  # said in place
    assert not cancelled.inline_keyboard  # the summary's buttons are gone
    assert (await current_draft(bot, manager)).state is DraftState.ABANDONED
    assert await fsm_state(bot, manager) is None

    confirm_data = next(b["callback_data"] for b in summary.buttons if "sc:" in b["callback_data"])
    query_id = await forge_tap(bot.standin, manager, cancelled, confirm_data)  # an old copy
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.draft_gone")
    assert creates(bot) == []


async def test_buttons_of_an_earlier_step_are_refused(bot: BotUnderTest, manager: SimUser):
    prompt = await start_send(manager)
    await pick_book(manager, prompt)
    assert prompt.button_texts()  # the copy still has them; the chat no longer does
    await manager.send_text("/cancel")
    await manager.wait_for_reply()
    await start_send(manager)
    data = next(b["callback_data"] for b in prompt.buttons if b["text"] == "name1")
    query_id = await forge_tap(bot.standin, manager, manager.messages[-1], data)
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.stale_button")


async def test_an_observer_cannot_start_a_send(bot: BotUnderTest, observer: SimUser):
    await observer.send_text("/send")
    reply = await reply_with(observer, RU("send.read_only"))
    assert reply.reply_keyboard is not None
    await observer.send_text(RU("menu.send"))
    await reply_with(observer, RU("send.read_only"))
    row = await bot.store.db.fetchone(
        "SELECT count(*) FROM drafts WHERE user_id = ?", (observer.user_id,)
    )
    assert row is not None and row[0] == 0


async def test_an_observer_with_a_forged_confirm_is_refused(
    bot: BotUnderTest, manager: SimUser, observer: SimUser, standin: BotApiStandin
):
    await summary_for_book(manager)
    draft = await current_draft(bot, manager)
    await observer.send_text("/send")
    message = await observer.wait_for_reply()
    data = ConfirmCallback(draft_id=draft.id).pack()
    query_id = await forge_tap(standin, observer, message, data)
    answer = await observer.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.read_only")
    assert (await current_draft(bot, manager)).state is DraftState.PENDING


async def test_a_manager_cannot_confirm_someone_elses_draft(
    bot: BotUnderTest, manager: SimUser, admin: SimUser, standin: BotApiStandin
):
    await summary_for_book(manager)
    draft = await current_draft(bot, manager)
    await admin.send_text("/help")
    message = await admin.wait_for_reply()
    query_id = await forge_tap(standin, admin, message, ConfirmCallback(draft_id=draft.id).pack())
    answer = await admin.wait_for_callback_answer(query_id)
    assert answer.text == RU("send.draft_gone")
    assert (await current_draft(bot, manager)).state is DraftState.PENDING
