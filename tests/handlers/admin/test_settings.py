"""/settings through the real dispatcher: the price and the approval limits typed in,
refused with a reason, cleared, audited; the summary's estimate; who may do it."""

from __future__ import annotations

from decimal import Decimal

import pytest

from core.send_settings import read_limits, read_price, write_price
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    forge_tap,
    prompt_with,
    reply_with,
    start_send,
    summary_for_book,
)
from tests.support.texts import CUT, head, plain

TITLE = plain(RU("settings.title"))


async def open_settings(admin: SimUser) -> StandinMessage:
    await admin.send_text("/settings")
    return await prompt_with(admin, TITLE)


async def asked(admin: SimUser, button: str) -> StandinMessage:
    screen = await open_settings(admin)
    await admin.tap(RU(button), screen)
    return await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)


async def test_the_screen_says_what_is_set(bot: BotUnderTest, admin: SimUser):
    screen = await open_settings(admin)
    text = screen.text or ""
    assert plain(RU("settings.no_price")) in text
    assert plain(RU("settings.limit_recipients", value=RU("settings.no_limit"))) in text
    assert plain(RU.plural("settings.stop_list", 0)) in text
    assert RU("settings.button_stop_list") in screen.button_texts()


async def test_an_admin_sets_the_price_and_the_summary_estimates_the_cost(
    bot: BotUnderTest, admin: SimUser, manager: SimUser
):
    question = await asked(admin, "settings.button_price")
    assert head(RU("settings.ask_p", current=CUT)) in (question.text or "")
    await admin.send_text("0,35 ₽")
    saved = await reply_with(admin, plain(RU("settings.saved_p", value=RU.money(Decimal("0.35")))))
    assert TITLE in (saved.text or "")  # the screen again, below
    assert await read_price(bot.store) == Decimal("0.35")
    entry = (await bot.store.audit.recent(1))[0]
    assert (entry.actor_id, entry.action) == (admin.user_id, "settings.price")
    assert entry.details == {"from": "none", "to": "0.35"}

    summary = await summary_for_book(manager)
    cost = RU.money(Decimal("0.70"))
    assert cost in (summary.text or "")  # 2 numbers × 1 part × 0,35 ₽


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("-0,35", "negative"),
        ("-1", "negative"),
        ("abc", "not_a_number"),
        ("0", "zero"),
        ("1000", "too_high"),
        ("0,12345", "too_precise"),
    ],
)
async def test_a_bad_price_is_refused_with_why_and_the_question_stays(
    bot: BotUnderTest, admin: SimUser, typed: str, problem: str
):
    await asked(admin, "settings.button_price")
    await admin.send_text(typed)
    refusal = RU(
        f"settings.problem_{problem}", typed=typed, limit=RU.money(Decimal(100)), decimals=4,
        example=RU("settings.example_p"),
    )  # fmt: skip
    await reply_with(admin, plain(refusal))
    assert await read_price(bot.store) is None
    await admin.send_text("0.4")  # still asked: a good one is taken
    await reply_with(admin, plain(RU("settings.saved_p", value=RU.money(Decimal("0.4")))))


async def test_a_price_with_a_comma_is_taken(bot: BotUnderTest, admin: SimUser):
    await asked(admin, "settings.button_price")
    await admin.send_text("0,5")
    await reply_with(admin, plain(RU("settings.saved_p", value=RU.money(Decimal("0.5")))))
    assert await read_price(bot.store) == Decimal("0.5")


async def test_a_huge_or_marked_up_price_is_refused_and_echoed_short_and_escaped(
    bot: BotUnderTest, admin: SimUser
):
    await asked(admin, "settings.button_price")
    await admin.send_text("9" * 4000)
    refusal = await reply_with(admin, head(RU("settings.problem_too_high", typed=CUT, limit=CUT)))
    text = refusal.text or ""
    assert "9" * 30 in text and "9" * 100 not in text  # the echo is cut short
    assert plain(RU.money(Decimal(100))) in text
    await admin.send_text("<b>0,35</b>")
    refusal = await reply_with(
        admin, head(RU("settings.problem_not_a_number", typed=CUT, example=CUT))
    )
    assert "<b>0,35</b>" in (refusal.text or "")  # shown as typed, not as markup
    assert await read_price(bot.store) is None


async def test_the_price_is_cleared_by_the_button_or_a_dash(bot: BotUnderTest, admin: SimUser):
    await write_price(bot.store, Decimal("0.35"))
    question = await asked(admin, "settings.button_price")
    assert RU.money(Decimal("0.35")) in (question.text or "")
    await admin.tap(RU("settings.button_clear_price"), question)
    assert (await admin.wait_for_callback_answer()).text == RU("settings.cleared_p")
    assert await read_price(bot.store) is None
    entry = (await bot.store.audit.recent(1))[0]
    assert entry.details == {"from": "0.35", "to": "none"}

    await write_price(bot.store, Decimal("0.35"))
    await asked(admin, "settings.button_price")
    await admin.send_text("—")
    await reply_with(admin, RU("settings.cleared_p"))
    assert await read_price(bot.store) is None


async def test_the_approval_limits_are_typed_in(bot: BotUnderTest, admin: SimUser):
    await asked(admin, "settings.button_recipients")
    await admin.send_text("1 000")
    await reply_with(admin, plain(RU("settings.saved_r", value="1\u00a0000")))
    await asked(admin, "settings.button_parts")
    await admin.send_text("2,5")
    await reply_with(admin, plain(RU("settings.problem_fraction", typed="2,5",
                                     example=RU("settings.example_n"))))  # fmt: skip
    await admin.send_text("5000")
    await reply_with(admin, head(RU("settings.saved_n", value=CUT)))
    await asked(admin, "settings.button_cost")
    await admin.send_text("1500 руб")
    await reply_with(admin, plain(RU("settings.saved_c", value=RU.money(Decimal(1500)))))
    limits = await read_limits(bot.store)
    assert (limits.recipients, limits.parts, limits.cost) == (1000, 5000, Decimal("1500.00"))
    actions = [entry.details for entry in await bot.store.audit.recent(3)]
    assert {"limit": "cost", "from": "none", "to": "1500.00"} in actions

    screen = await open_settings(admin)
    assert plain(RU("settings.cost_needs_price")) in (screen.text or "")
    question = await asked(admin, "settings.button_recipients")
    await admin.tap(RU("settings.button_clear"), question)
    await admin.wait_for_callback_answer()
    assert (await read_limits(bot.store)).recipients is None


async def test_a_sticker_gets_a_hint_and_a_command_drops_the_question(
    bot: BotUnderTest, admin: SimUser
):
    await asked(admin, "settings.button_price")
    await admin.send_sticker()
    await reply_with(admin, RU("settings.input_hint"))
    await admin.send_text("/balance")
    await admin.wait_for_reply()
    await admin.send_text("0,35")
    await admin.wait_for_reply()
    assert await read_price(bot.store) is None


async def test_settings_in_the_middle_of_a_send_park_the_draft(bot: BotUnderTest, admin: SimUser):
    await start_send(admin)
    await asked(admin, "settings.button_price")
    await admin.send_text("0,35")
    await reply_with(admin, head(RU("settings.saved_p", value=CUT)))
    await admin.send_text("/send")
    await reply_with(admin, RU("send.resume_question"))  # the draft is offered back


async def test_the_stop_list_is_a_tap_away(bot: BotUnderTest, admin: SimUser):
    screen = await open_settings(admin)
    await admin.tap(RU("settings.button_stop_list"), screen)
    stop_list = await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert plain(RU("stoplist.rule")) in (stop_list.text or "")
    await admin.tap(RU("stoplist.button_settings"), stop_list)
    back = await admin.wait_for_reply(lambda m: m.message_id == screen.message_id)
    assert TITLE in (back.text or "")


async def test_only_admins_change_the_settings(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    await manager.send_text("/settings")
    message = await reply_with(manager, RU("admin.only_admins"))
    for data in ("ss:a:p", "ss:x:p", "ss:s:"):
        query_id = await forge_tap(standin, manager, message, data)
        assert (await manager.wait_for_callback_answer(query_id)).text == RU("admin.not_allowed")
    assert await read_price(bot.store) is None


async def test_a_forged_setting_is_refused(
    bot: BotUnderTest, admin: SimUser, standin: BotApiStandin
):
    screen = await open_settings(admin)
    for data in ("ss:a:z", "ss:x:z"):
        query_id = await forge_tap(standin, admin, screen, data)
        assert (await admin.wait_for_callback_answer(query_id)).text == RU("settings.stale_button")
