"""When the SMS service fails: no traceback, no silence, and a tap is answered in time."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest

from core.sms import DispatchCanNotBeCanceled
from handlers.common import replies
from handlers.common.context import Context
from handlers.common.i18n import translator
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.emulator.validation import NewDispatch
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import MANAGER_ID, BotUnderTest

UNAVAILABLE_RU = "SMS-сервис не отвечает, попробуйте ещё раз чуть позже."
NOT_UNDERSTOOD_RU = translator("ru")("dispatches.sms_not_understood")


@pytest.mark.parametrize("fault", [{"down": True}, {"error_rate": 1.0}])
async def test_status_when_the_service_fails_says_it_does_not_answer(
    manager: SimUser, emulator: RunningEmulator, fault: dict[str, object]
):
    emulator.state.faults.update(fault)
    await manager.send_text("/status 1")
    reply = await manager.wait_for_reply()
    assert reply.text == UNAVAILABLE_RU


async def test_status_when_the_answer_is_unreadable_says_so_not_that_it_is_down(
    manager: SimUser, emulator: RunningEmulator
):
    emulator.state.faults.update({"garbage": True})
    await manager.send_text("/status 1")
    reply = await manager.wait_for_reply()
    assert reply.text == NOT_UNDERSTOOD_RU


async def test_refresh_while_the_service_is_down_keeps_the_card(
    manager: SimUser, emulator: RunningEmulator, standin: BotApiStandin
):
    await manager.send_text("/status 1")
    await manager.wait_for_reply()
    emulator.state.faults.update({"down": True})
    await manager.tap("🔄 Обновить")
    answer = await manager.wait_for_callback_answer()
    assert answer.show_alert and answer.text == UNAVAILABLE_RU
    assert standin.calls_to("editMessageText") == []


async def test_a_hanging_service_does_not_leave_a_tap_unanswered(
    manager: SimUser, emulator: RunningEmulator, monkeypatch: pytest.MonkeyPatch
):
    # The budget is shortened so that the test is quick; the mechanism is the same.
    monkeypatch.setattr(replies, "TAP_BUDGET_SECONDS", 0.5)
    await manager.send_text("/status 1")
    await manager.wait_for_reply()
    emulator.state.faults.update({"timeout_rate": 1.0, "hang_seconds": 30})
    loop = asyncio.get_running_loop()
    started = loop.time()
    await manager.tap("🔄 Обновить")
    answer = await manager.wait_for_callback_answer(timeout=5)
    assert loop.time() - started < 3
    assert answer.text == UNAVAILABLE_RU
    # Let go of what is still held (the poller's reads), so that the bot stops at once.
    emulator.state.faults.update({"timeout_rate": 0.0})
    emulator.state.faults.release_hangs()


def test_the_real_budget_leaves_room_within_telegrams_limit():
    assert replies.TAP_BUDGET_SECONDS + 3 < 15


async def test_cancel_while_the_service_is_down_keeps_the_question(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    when = emulator.clock.now() + timedelta(minutes=5)
    dispatch_id = emulator.state.create_dispatch(NewDispatch("Hi", ["380710000001"], when))
    await bot.store.dispatches.track(dispatch_id, MANAGER_ID, "", "Hi", when)  # theirs
    await manager.send_text(f"/status {dispatch_id}")
    await manager.wait_for_reply()
    await manager.tap("❌ Отменить")
    question = await manager.wait_for_reply()
    emulator.state.faults.update({"down": True})
    await manager.tap("✅ Да, отменить")
    said = await manager.wait_for_reply(lambda m: m.text == UNAVAILABLE_RU)
    assert said.message_id != question.message_id
    live = next(m for m in manager.messages if m.message_id == question.message_id)
    assert live.button_texts() == ["✅ Да, отменить", "↩️ Нет"]  # tap again when it is back
    [entry] = await bot.store.audit.recent(1)
    assert entry.details == {"outcome": "failed", "error": "ServiceUnavailable"}

    emulator.state.faults.update({"down": False})
    await manager.tap("✅ Да, отменить", question.message_id)  # a fresh token came with it
    done = await manager.wait_for_reply(lambda m: "отменена" in (m.text or ""))
    assert f"Рассылка №{dispatch_id} отменена" in (done.text or "")


async def test_a_rejected_token_tells_the_user_and_the_admins_once(
    admin: SimUser, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.blocked = True
    await manager.send_text("/status 1")
    reply = await manager.wait_for_reply()
    assert "SMS-сервис отказал в доступе" in (reply.text or "")
    ours = "не принимает токен бота"  # other parts of the bot may raise their own alarm
    await admin.wait_for_reply(lambda message: ours in (message.text or ""))

    await manager.send_text("/balance")
    assert "отказал в доступе" in ((await manager.wait_for_reply()).text or "")
    assert len([m for m in admin.messages if ours in (m.text or "")]) == 1


async def test_a_long_refusal_from_the_server_is_quoted_in_part(bot: BotUnderTest):
    assert bot.app is not None
    error = DispatchCanNotBeCanceled("DISPATCH_CAN_NOT_BE_CANCELED", "<x>" * 1000, 400)
    user = await bot.store.users.upsert_seen(MANAGER_ID, "Max", None, "en")
    ctx = Context(
        bot=bot.app.bot,
        user=user,
        role=Role.MANAGER,
        t=translator("en"),
        settings=bot.settings,
        store=bot.store,
        sms=bot.app.sms,
        clock=bot.app.clock,
        outbox=bot.app.outbox,
        chat_id=MANAGER_ID,
    )
    text = await replies.explain_failure(ctx, error)
    assert "can no longer be cancelled" in text
    assert "&lt;x&gt;" in text and "<x>" not in text
    assert len(text) < 2000
