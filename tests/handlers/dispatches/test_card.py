"""The dispatch card: /status, Refresh, Cancel and Re-run with confirmation, the roles."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal
from typing import Any

from handlers.common.i18n import translator
from handlers.notify.render import not_enough_money_alert
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.emulator.validation import NewDispatch
from testbed.standin import BotApiStandin, SimUser, StandinMessage
from tests.support.harness import BotUnderTest

PHONES = ["380710000001", "380710000002"]


def new_dispatch(emulator: RunningEmulator, text: str = "Sale today", in_seconds: int = 60) -> int:
    """A dispatch made elsewhere (e.g. the web interface), sent ``in_seconds`` from now."""
    when = emulator.clock.now() + timedelta(seconds=in_seconds)
    return emulator.state.create_dispatch(NewDispatch(text, list(PHONES), when))


async def made_by(bot: BotUnderTest, dispatch_id: int, user: SimUser) -> None:
    """As if ``user`` had sent the dispatch through the bot: they are its creator."""
    await bot.store.dispatches.track(dispatch_id, user.user_id, "", "Sale today", None)


def posts_to(bot: BotUnderTest, path: str) -> list[dict[str, Any]]:
    return [entry for entry in bot.sms_requests(path) if entry["method"] == "POST"]


def button_data(message: StandinMessage) -> list[str]:
    return [button["callback_data"] for button in message.buttons]


async def forge_tap(
    standin: BotApiStandin, user: SimUser, message: StandinMessage, data: str
) -> str:
    """A callback query with data no button carries, as a modified client could send."""
    update = await user.send_callback(data, message)
    return update["callback_query"]["id"]


async def open_card(user: SimUser, dispatch_id: int) -> StandinMessage:
    await user.send_text(f"/status {dispatch_id}")
    return await user.wait_for_reply()


async def test_manager_opens_the_seed_dispatch_and_sees_its_values(manager: SimUser):
    card = await open_card(manager, 1)
    text = card.text or ""
    assert "Рассылка №1" in text
    assert "В очереди" in text
    assert "01.02.2019 11:22 (MSK)" in text
    assert "01.02.2019 22:44 (MSK)" in text
    assert "Сообщений: 1 · отправлено: 0 · доставлено: 0" in text
    assert "Комментарий" in text and "Текст" in text and "API" in text
    assert "🔄 Обновить" in card.button_texts()
    # Made elsewhere (no creator in the bot): only admins cancel it, by default.
    assert "❌ Отменить" not in card.button_texts()


async def test_refresh_with_nothing_new_edits_nothing(manager: SimUser, standin: BotApiStandin):
    await open_card(manager, 1)
    await manager.tap("🔄 Обновить")
    answer = await manager.wait_for_callback_answer()
    assert answer.text == "Изменений нет."
    assert standin.calls_to("editMessageText") == []


async def test_refresh_shows_the_status_the_clock_moved_to(
    manager: SimUser, emulator: RunningEmulator, standin: BotApiStandin
):
    dispatch_id = new_dispatch(emulator)
    card = await open_card(manager, dispatch_id)
    assert "В очереди" in (card.text or "")
    emulator.state.advance_clock(61)  # past dateSend: tariffing
    await manager.tap("🔄 Обновить")
    edited = await manager.wait_for_reply()
    assert edited.message_id == card.message_id
    assert "Тарификация" in (edited.text or "")
    emulator.state.advance_clock(10)  # tariffed: sending
    await manager.tap("🔄 Обновить")
    edited = await manager.wait_for_reply()
    assert "Отправляется" in (edited.text or "")
    assert len(standin.calls_to("editMessageText")) == 2


async def test_manager_cancels_after_confirming(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    dispatch_id = new_dispatch(emulator)
    await made_by(bot, dispatch_id, manager)
    await open_card(manager, dispatch_id)
    await manager.tap("❌ Отменить")
    question = await manager.wait_for_reply()
    assert f"Отменить рассылку №{dispatch_id}?" in (question.text or "")
    assert question.button_texts() == ["✅ Да, отменить", "↩️ Нет"]
    assert posts_to(bot, "/cancel") == []  # asking sends nothing

    await manager.tap("✅ Да, отменить")
    card = await manager.wait_for_reply()
    assert f"Рассылка №{dispatch_id} отменена" in (card.text or "")
    assert "Отменена" in (card.text or "")
    assert "❌ Отменить" not in card.button_texts()
    assert "▶️ Перезапустить" in card.button_texts()
    assert [entry["body"] for entry in posts_to(bot, "/cancel")] == [{"idDispatch": dispatch_id}]
    [entry] = await bot.store.audit.recent(1)
    assert (entry.actor_id, entry.action, entry.dispatch_id) == (
        manager.user_id,
        "dispatch.cancel",
        dispatch_id,
    )
    assert entry.details == {"outcome": "done"}


async def test_no_on_the_question_brings_the_card_back(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    dispatch_id = new_dispatch(emulator)
    await made_by(bot, dispatch_id, manager)
    card = await open_card(manager, dispatch_id)
    await manager.tap("❌ Отменить")
    await manager.wait_for_reply()
    await manager.tap("↩️ Нет")
    back = await manager.wait_for_reply()
    assert back.text == card.text
    assert back.button_texts() == card.button_texts()
    assert posts_to(bot, "/cancel") == []


async def test_server_refuses_to_cancel_a_closed_dispatch_in_plain_words(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    dispatch_id = new_dispatch(emulator)
    await made_by(bot, dispatch_id, manager)
    card = await open_card(manager, dispatch_id)
    emulator.state.advance_clock(3600)  # closed meanwhile, the card still offers Cancel
    await manager.tap("❌ Отменить", card)
    await manager.wait_for_reply()
    await manager.tap("✅ Да, отменить")
    shown = await manager.wait_for_reply()
    text = shown.text or ""
    assert "Эту рассылку уже нельзя отменить" in text
    assert "✅ Завершена" in text
    assert "DISPATCH_CAN_NOT_BE_CANCELED" not in text
    [entry] = await bot.store.audit.recent(1)
    assert entry.details == {"outcome": "refused", "code": "DISPATCH_CAN_NOT_BE_CANCELED"}


async def test_rerun_after_a_top_up_of_a_dispatch_short_of_money(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_balance(Decimal(0))
    dispatch_id = new_dispatch(emulator)
    await made_by(bot, dispatch_id, manager)
    emulator.state.advance_clock(70)
    card = await open_card(manager, dispatch_id)
    assert "Недостаточно средств" in (card.text or "")
    emulator.state.add_balance(Decimal(100))

    await manager.tap("▶️ Перезапустить")
    question = await manager.wait_for_reply()
    assert f"Перезапустить рассылку №{dispatch_id}?" in (question.text or "")
    await manager.tap("✅ Да, перезапустить")
    rerun = await manager.wait_for_reply()
    assert f"Рассылка №{dispatch_id} перезапущена" in (rerun.text or "")
    assert "Недостаточно средств" not in (rerun.text or "")
    assert [entry["body"] for entry in posts_to(bot, "/run")] == [{"idDispatch": dispatch_id}]
    [entry] = await bot.store.audit.recent(1)
    assert (entry.action, entry.details) == ("dispatch.run", {"outcome": "done"})


async def test_rerun_refused_by_the_server_is_said_plainly(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_balance(Decimal(0))
    dispatch_id = new_dispatch(emulator)
    await made_by(bot, dispatch_id, manager)
    emulator.state.advance_clock(70)
    await open_card(manager, dispatch_id)
    await manager.tap("▶️ Перезапустить")
    await manager.wait_for_reply()
    emulator.state.add_balance(Decimal(100))
    assert bot.app is not None
    await bot.app.sms.run_dispatch(dispatch_id)  # re-run elsewhere meanwhile
    await manager.tap("✅ Да, перезапустить")
    shown = await manager.wait_for_reply()
    assert "Эту рассылку нельзя перезапустить" in (shown.text or "")
    [entry] = await bot.store.audit.recent(1)
    assert entry.details == {"outcome": "refused", "code": "DISPATCH_CAN_NOT_BE_RUN"}


async def test_observer_sees_no_cancel_and_a_forged_cancel_sends_nothing(
    bot: BotUnderTest, observer: SimUser, standin: BotApiStandin
):
    card = await open_card(observer, 1)
    assert "🔄 Обновить" in card.button_texts()
    assert not any(
        data.startswith(("dc:cn", "dc:rn", "dc:cy", "dc:ry")) for data in button_data(card)
    )
    before = len(bot.sms_requests("/sms-api/dispatches"))

    query_id = await forge_tap(standin, observer, card, "dc:cy:1")
    answer = await observer.wait_for_callback_answer(query_id)
    assert answer.text is not None and "Нельзя" in answer.text
    assert posts_to(bot, "/sms-api/dispatches") == []
    assert len(bot.sms_requests("/sms-api/dispatches")) == before  # not even a read
    [entry] = await bot.store.audit.recent(1)
    assert entry.details["outcome"] == "forbidden"


async def test_forged_card_button_for_a_missing_dispatch_gets_not_found(
    manager: SimUser, standin: BotApiStandin
):
    card = await open_card(manager, 1)
    query_id = await forge_tap(standin, manager, card, "dc:rf:424242")
    answer = await manager.wait_for_callback_answer(query_id)
    assert answer.show_alert
    assert answer.text == "Рассылки №424242 нет: проверьте номер."


async def test_forged_out_of_range_id_asks_the_api_nothing(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin
):
    card = await open_card(manager, 1)
    before = len(bot.sms_requests("/sms-api/dispatches"))
    for data in ("dc:rf:0", "dy:c:-5:AAAAAAAA", "dc:cn:99999999999999999999"):
        query_id = await forge_tap(standin, manager, card, data)
        answer = await manager.wait_for_callback_answer(query_id)
        assert answer.text is not None and "нет" in answer.text
    assert len(bot.sms_requests("/sms-api/dispatches")) == before


async def test_english_speaking_manager_gets_the_card_in_english(bot: BotUnderTest):
    user = await bot.user(2100, Role.MANAGER, language="en")
    card = await open_card(user, 1)
    text = card.text or ""
    assert "Dispatch #1" in text and "In the queue" in text
    await user.tap("🔄 Refresh")
    assert (await user.wait_for_callback_answer()).text == "No changes."


async def test_rerun_from_a_not_enough_money_alert_asks_in_a_new_message(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    emulator.state.set_balance(Decimal(0))
    dispatch_id = new_dispatch(emulator)
    await made_by(bot, dispatch_id, manager)
    emulator.state.advance_clock(70)
    assert bot.app is not None
    dispatch = await bot.app.sms.dispatch(dispatch_id)
    text, keyboard = not_enough_money_alert(translator("ru"), dispatch, Role.MANAGER, None)
    await bot.app.bot.send_message(manager.chat_id, text, reply_markup=keyboard)
    alert = await manager.wait_for_reply()
    emulator.state.add_balance(Decimal(100))

    await manager.tap("▶️ Перезапустить", alert)
    question = await manager.wait_for_reply()
    assert question.message_id != alert.message_id
    assert f"Перезапустить рассылку №{dispatch_id}?" in (question.text or "")
    live_alert = next(m for m in manager.messages if m.message_id == alert.message_id)
    assert live_alert.text == alert.text and live_alert.buttons == alert.buttons
    await manager.tap("✅ Да, перезапустить", question)
    rerun = await manager.wait_for_reply()
    assert rerun.message_id == question.message_id
    assert f"Рассылка №{dispatch_id} перезапущена" in (rerun.text or "")


async def test_a_cancel_is_shown_on_the_tapped_card_only_and_followers_hear_it_at_the_next_cycle(
    bot: BotUnderTest, manager: SimUser, observer: SimUser, standin: BotApiStandin
):
    from tests.support.notify import align_clock, make_dispatch, wait_cycles

    align_clock(bot)
    dispatch_id = await make_dispatch(bot, manager.user_id, after=timedelta(days=3))
    await bot.store.subscriptions.subscribe(dispatch_id, observer.user_id)
    await wait_cycles(bot, 2)
    await open_card(manager, dispatch_id)
    await manager.tap("❌ Отменить")
    await manager.wait_for_reply()
    await manager.tap("✅ Да, отменить")
    card = await manager.wait_for_reply()
    assert "Отменена" in (card.text or "")
    sent_before = len(standin.calls_to("sendMessage"))
    await wait_cycles(bot, 2)
    announced = {
        call.params.get("chat_id"): call.params["text"]
        for call in standin.calls_to("sendMessage")[sent_before:]
    }
    # The canceller saw it on the card: no copy. The follower hears it, once, then.
    assert manager.chat_id not in announced
    assert f"№{dispatch_id}" in announced[observer.chat_id]
    assert len(standin.calls_to("sendMessage")[sent_before:]) == 1
