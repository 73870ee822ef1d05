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
    reply_with,
    start_send,
    summary_for_book,
    summary_head,
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
    await reply_with(user, head(RU(HINTS[step])))
    assert await fsm_state(bot, user) == step


@pytest.mark.parametrize("step", list(HINTS))
async def test_a_sticker_a_photo_and_a_command_get_the_steps_hint(
    bot: BotUnderTest, manager: SimUser, step: str
):
    await go_to(step, manager)
    before = (await current_draft(bot, manager)).updated_at

    await manager.send_sticker()
    await expect_hint(bot, manager, step)
    await manager.send_photo()
    await expect_hint(bot, manager, step)
    await manager.send_text("/balance")
    await expect_hint(bot, manager, step)
    await manager.send_text(RU("menu.dispatches"))  # a menu button is not step input
    await expect_hint(bot, manager, step)

    draft = await current_draft(bot, manager)
    assert draft.state is DraftState.PENDING and draft.updated_at == before


async def test_a_document_at_the_text_step_gets_the_hint(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:text", manager)
    await manager.send_document("text.txt", b"Hello", "text/plain")
    await expect_hint(bot, manager, "SendForm:text")


async def test_send_again_mid_way_keeps_the_draft(bot: BotUnderTest, manager: SimUser):
    await go_to("SendForm:time", manager)
    draft = await current_draft(bot, manager)
    await manager.send_text("/send")
    await expect_hint(bot, manager, "SendForm:time")
    assert (await current_draft(bot, manager)).id == draft.id


async def test_a_text_of_5001_characters_is_refused_and_5000_taken(
    bot: BotUnderTest, manager: SimUser
):
    await go_to("SendForm:text", manager)
    await manager.send_text("a" * 5001)
    refusal = await reply_with(manager, "5001")
    assert refusal.text == plain(RU("send.text_too_long", length=5001, limit=5000))
    assert await fsm_state(bot, manager) == "SendForm:text"
    assert (await current_draft(bot, manager)).text == ""

    await manager.send_text("a" * 5000)
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
    refusal = await reply_with(manager, head(RU(f"send.time_{problem}", now=CUT)))
    assert refusal.text
    await prompt_with(manager, time_head())  # asked again
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
    assert cancelled.reply_keyboard is not None
    assert (await current_draft(bot, manager)).state is DraftState.ABANDONED
    assert await fsm_state(bot, manager) is None

    shown = next(m for m in manager.messages if m.message_id == summary.message_id)
    assert not shown.inline_keyboard  # the summary's buttons are gone

    confirm_data = next(b["callback_data"] for b in summary.buttons if "sc:" in b["callback_data"])
    await forge_tap(bot.standin, manager, cancelled, confirm_data)  # a tap from an old copy
    await reply_with(manager, RU("send.draft_gone"))
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
    await admin.wait_for_callback_answer(query_id)
    await reply_with(admin, RU("send.draft_gone"))
    assert (await current_draft(bot, manager)).state is DraftState.PENDING
