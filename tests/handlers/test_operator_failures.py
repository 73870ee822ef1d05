"""Meeting the real operator: each way its server can differ or fail gets its own words,
and a failure stays in the feature that needs the odd part."""

from __future__ import annotations

import pytest

from handlers.common.i18n import translator
from testbed.emulator import RunningEmulator
from testbed.emulator.dialects import LOGIN_REDIRECT, ODD_CONTACTS, SPRING_ERRORS
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.notify import align_clock, make_dispatch, wait_cycles
from tests.support.send import (
    confirm,
    creates,
    prompt_with,
    reply_with,
    start_send,
    text_head,
    time_head,
)
from tests.support.texts import head, plain

RU = translator("ru")


async def test_a_login_redirect_is_access_refused_and_the_admins_hear_of_the_token(
    bot: BotUnderTest, admin: SimUser, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_dialects([LOGIN_REDIRECT])
    emulator.state.blocked = True  # the operator blocked the client: Spring redirects to /login
    await manager.send_text("/balance")
    reply = await manager.wait_for_reply()
    assert reply.text == plain(RU("sms_errors.token_rejected"))
    alert = await admin.wait_for_reply(lambda m: "токен" in (m.text or ""))
    assert "SMS_API_TOKEN" in (alert.text or "")


async def test_a_refusal_in_springs_own_words_is_still_understood(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_dialects([SPRING_ERRORS])
    await manager.send_text("/status 424242")
    reply = await manager.wait_for_reply()
    assert reply.text == RU("dispatches.not_found", id=424242)


async def test_an_undocumented_refusal_of_a_create_keeps_the_draft(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_dialects([SPRING_ERRORS])
    prompt = await start_send(manager)
    await manager.tap("name1", prompt)
    await prompt_with(manager, text_head())
    await manager.send_text("Привет")
    time_prompt = await prompt_with(manager, time_head())
    await manager.tap(RU("send.button_in_hour"), time_prompt)
    summary = await prompt_with(manager, head(RU("send.summary_title")))
    # The server's clock runs past the chosen time: it refuses the create with a 400 in
    # Spring's default body, which carries no code.
    emulator.clock.advance(2 * 3600)
    await confirm(manager, summary)
    refused = await reply_with(manager, plain(RU("sms_errors.refused", status=400))[:25])
    assert "Bad Request" in (refused.text or "")
    assert head(RU("send.summary_title")) in (refused.text or "")  # the summary, in place
    assert refused.inline_keyboard
    assert (await bot.store.db.fetchone("SELECT state FROM drafts"))["state"] == "pending"


async def test_a_book_with_contacts_that_are_not_numbers_is_sent_to_the_rest(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_dialects([ODD_CONTACTS])
    prompt = await start_send(manager)
    await manager.tap("name1", prompt)
    report = await prompt_with(manager, text_head())
    text = report.text or ""
    assert RU("send.problem_no_number") in text and RU("send.problem_not_digits") in text
    await manager.send_text("Привет")
    time_prompt = await prompt_with(manager, time_head())
    await manager.tap(RU("send.button_now"), time_prompt)
    summary = await prompt_with(manager, head(RU("send.summary_title")))
    await confirm(manager, summary)
    await reply_with(manager, "Рассылка №")
    [create] = creates(bot)
    # The two good numbers and the one the server gave as a JSON number.
    assert sorted(create["body"]["phonesList"]) == ["380710000000", "380711112233", "380719999999"]


async def test_an_unreadable_balance_does_not_silence_the_statuses(
    bot: BotUnderTest,
    admin: SimUser,
    manager: SimUser,
    emulator: RunningEmulator,
    monkeypatch: pytest.MonkeyPatch,
):
    align_clock(bot)
    dispatch_id = await make_dispatch(bot, manager.user_id)
    real = emulator.state.balance_body

    def unreadable(*args: object, **kwargs: object) -> object:
        return {**real(*args, **kwargs), "balance": "n/a"}

    monkeypatch.setattr(emulator.state, "balance_body", unreadable)
    emulator.clock.advance(10)  # tariffed, sending
    await wait_cycles(bot, 2)
    live = await reply_with(manager, f"Рассылка №{dispatch_id}")
    assert live.text
    told = await admin.wait_for_reply(lambda m: "finance/balance" in (m.text or ""))
    assert "<code>" not in (told.text or "") and "balance" in (told.text or "")
    await wait_cycles(bot, 2)
    about_balance = [m for m in admin.messages if "finance/balance" in (m.text or "")]
    assert len(about_balance) == 1  # once per endpoint and field


async def test_a_server_that_quotes_the_url_back_never_shows_the_token_in_a_chat(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    from urllib.parse import quote, quote_plus

    from tests.support.harness import SMS_TOKEN

    emulator.state.faults.update({"echo_url": True})
    await manager.send_text("/balance")
    reply = await manager.wait_for_reply()
    shown = reply.text or ""
    assert "balance" in shown  # the server's words are quoted: the path is there
    for form in (SMS_TOKEN, quote(SMS_TOKEN, safe=""), quote_plus(SMS_TOKEN), "SECRET"):
        assert form not in shown, form
    assert "***" in shown
