"""The set-up wizard: every bad answer gets a clear reason on the same step; the send
summary hands its draft over; weekly and monthly rules read as people say them."""

from __future__ import annotations

from datetime import timedelta

import pytest

from core.recurring import LEAD
from storage import DraftState, ScheduleState
from testbed.standin import SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.recurring import (
    finish_set_up,
    list_head,
    minute_after,
    only_schedule,
    open_list,
    question,
    wait_passes,
    wall_clock,
)
from tests.support.send import (
    RU,
    creates,
    current_draft,
    prompt_with,
    reply_with,
    summary_for_book,
    summary_for_numbers,
)
from tests.support.texts import CUT, head, plain

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def at_time_step(user: SimUser, kind: str = "recurring.button_daily") -> StandinMessage:
    listing = await open_list(user)
    await user.tap(RU("recurring.button_new"), listing)
    await prompt_with(user, question("recurring.question_recipients"))
    await user.send_text("0711234567, 380711234568, 12345")
    await prompt_with(user, question("recurring.question_text", limit=CUT))
    await user.send_text("Напоминание")
    kinds = await prompt_with(user, question("recurring.question_kind"))
    await user.tap(RU(kind), kinds)
    return await user.wait_for_reply(lambda m: bool(m.inline_keyboard))


async def refusal(user: SimUser, typed: str, reason: str) -> StandinMessage:
    await user.send_text(typed)
    shown = await reply_with(user, reason)
    assert shown.inline_keyboard  # the same step, still answerable
    return shown


async def test_a_wrong_time_is_refused_with_the_reason(bot: BotUnderTest, manager: SimUser) -> None:
    await at_time_step(manager)
    for typed in ("25:00", "9 утра", "12:60"):
        await refusal(manager, typed, plain(RU("recurring.bad_time", typed=typed)))
    await manager.send_text("09:15")
    await prompt_with(manager, question("recurring.question_period"))


async def test_bad_periods_are_refused_with_the_reason(bot: BotUnderTest, manager: SimUser) -> None:
    await at_time_step(manager)
    await manager.send_text("09:00")
    await prompt_with(manager, question("recurring.question_period"))
    today = bot.emulator.clock.now().date()
    start, end = today + timedelta(days=10), today + timedelta(days=3)
    typed = f"{start:%d.%m.%Y} - {end:%d.%m.%Y}"
    await refusal(
        manager,
        typed,
        plain(RU("recurring.ends_before_start", start=f"{start:%d.%m.%Y}", end=f"{end:%d.%m.%Y}")),
    )
    past = today - timedelta(days=1)
    await refusal(
        manager, f"по {past:%d.%m.%Y}", plain(RU("recurring.ends_in_past", end=f"{past:%d.%m.%Y}"))
    )
    await refusal(manager, "когда-нибудь", plain(RU("recurring.bad_period", typed="когда-нибудь")))
    await refusal(manager, "31.02.2030 - 01.03.2030", head(RU("recurring.no_such_date", typed=CUT)))
    ends = today + timedelta(days=30)
    await manager.send_text(f"с {today:%d.%m.%Y} по {ends:%d.%m.%Y}")
    summary = await prompt_with(manager, question("recurring.summary_question"))
    assert f"по {ends:%d.%m.%Y}" in (summary.text or "")


async def test_a_period_without_a_single_send_is_refused(
    bot: BotUnderTest, manager: SimUser
) -> None:
    days = await at_time_step(manager, "recurring.button_monthly")
    await manager.tap("1", days)  # the 1st of the month
    await prompt_with(manager, question("recurring.question_time", zone=CUT))
    await manager.send_text("10:00")
    await prompt_with(manager, question("recurring.question_period"))
    today = bot.emulator.clock.now().date()
    # Two days that hold no 1st of a month, whichever they are.
    start = today.replace(day=2) + timedelta(days=31)
    start = start.replace(day=2)
    await refusal(
        manager, f"{start:%d.%m.%Y} - {start + timedelta(days=1):%d.%m.%Y}",
        plain(RU("recurring.no_occurrence")),
    )  # fmt: skip


async def test_a_wrong_day_of_the_month_is_refused_and_the_31st_says_what_happens(
    bot: BotUnderTest, manager: SimUser
) -> None:
    await at_time_step(manager, "recurring.button_monthly")
    for typed in ("32", "0", "первое"):
        await refusal(manager, typed, plain(RU("recurring.bad_month_day", typed=typed)))
    await manager.send_text("31")
    await prompt_with(manager, question("recurring.question_time", zone=CUT))
    card = await finish_set_up(manager, "09:00")
    assert plain(RU("recurring.rule_monthly_clamped")) in (card.text or "")
    assert "31-го числа" in (card.text or "")
    schedule = await only_schedule(bot)
    assert schedule.rule.month_day == 31
    assert schedule.phones == ["380711234567", "380711234568"]  # the bad entry left out


async def test_the_send_summary_hands_its_draft_to_a_schedule(
    bot: BotUnderTest, manager: SimUser
) -> None:
    summary = await summary_for_book(manager, "Еженедельный отчёт")
    draft = await current_draft(bot, manager)
    await manager.tap(RU("send.button_repeat_on_schedule"), summary)
    kinds = await prompt_with(manager, question("recurring.question_kind"))
    assert kinds.message_id == summary.message_id  # the same message, edited in place
    assert plain(RU("recurring.started_from_summary")) in (kinds.text or "")
    assert (await bot.store.drafts.get(draft.id)).state is DraftState.ABANDONED  # type: ignore[union-attr]
    await manager.tap(RU("recurring.button_weekdays"), kinds)
    await prompt_with(manager, question("recurring.question_time", zone=CUT))
    due = minute_after(bot, timedelta(hours=4))
    card = await finish_set_up(manager, wall_clock(due))
    assert "по будням" in (card.text or "")
    schedule = await only_schedule(bot)
    assert (schedule.book_name, schedule.text) == ("name1", "Еженедельный отчёт")
    assert schedule.state is ScheduleState.ACTIVE
    await wait_passes(bot)
    assert schedule.next_due is not None
    within_lead = schedule.next_due - bot.emulator.clock.now() <= LEAD
    assert len(creates(bot)) == (1 if within_lead else 0)


async def test_typed_numbers_from_the_summary_go_with_it(
    bot: BotUnderTest, manager: SimUser
) -> None:
    summary = await summary_for_numbers(manager, "0711111111\n0712222222", text="Привет")
    await manager.tap(RU("send.button_repeat_on_schedule"), summary)
    kinds = await prompt_with(manager, question("recurring.question_kind"))
    assert RU.plural("send.n_numbers", 2) in (kinds.text or "")
    await manager.tap(RU("recurring.button_daily"), kinds)
    await prompt_with(manager, question("recurring.question_time", zone=CUT))
    await finish_set_up(manager, "23:59")
    schedule = await only_schedule(bot)
    assert schedule.phones == ["380711111111", "380712222222"] and schedule.book_id is None


async def test_a_stale_wizard_button_is_a_toast(bot: BotUnderTest, manager: SimUser) -> None:
    kinds = await at_time_step(manager)  # now at the time step
    await manager.tap("08:00", kinds)
    period = await prompt_with(manager, question("recurring.question_period"))
    await manager.send_text("/recurring")  # the set-up is dropped
    await reply_with(manager, list_head())
    await manager.tap(RU("recurring.button_no_bounds"), period)
    answered = await manager.wait_for_callback_answer()
    assert answered.text == RU("recurring.stale_button")
    assert await bot.store.recurring.count(None) == 0
