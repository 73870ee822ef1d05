"""Finding a dispatch by number: /status and /track, with or without the number."""

from __future__ import annotations

from datetime import timedelta

import pytest

from testbed.emulator import RunningEmulator
from testbed.emulator.validation import NewDispatch
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest


def made_elsewhere(emulator: RunningEmulator) -> int:
    when = emulator.clock.now() + timedelta(minutes=5)
    return emulator.state.create_dispatch(NewDispatch("From the web", ["380710000001"], when))


@pytest.mark.parametrize(
    ("typed", "expected"),
    [
        ("abc", "«abc» — не номер рассылки"),
        ("0", "Номера рассылок начинаются с 1"),
        ("-5", "Номера рассылок начинаются с 1"),
        ("99999999999999999999", "Рассылки с таким большим номером нет"),
        ("<b>1</b>", "«&lt;b&gt;1&lt;/b&gt;» — не номер рассылки"),
    ],
)
async def test_status_with_a_bad_number_says_why_and_asks_the_api_nothing(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin, typed: str, expected: str
):
    await manager.send_text(f"/status {typed}")
    reply = await manager.wait_for_reply()
    assert expected in (reply.source_text or "")
    assert bot.sms_requests("/sms-api/dispatches") == []


async def test_status_of_a_missing_dispatch_is_said_plainly(manager: SimUser):
    await manager.send_text("/status 777")
    reply = await manager.wait_for_reply()
    assert reply.text == "Рассылки №777 нет: проверьте номер."


async def test_status_alone_asks_for_the_number_and_takes_a_bare_one(manager: SimUser):
    await manager.send_text("/status")
    assert "Пришлите номер рассылки" in ((await manager.wait_for_reply()).text or "")
    await manager.send_text("abc")
    assert "не номер рассылки" in ((await manager.wait_for_reply()).text or "")
    await manager.send_text("#1")  # the step stays until a card is shown
    card = await manager.wait_for_reply()
    assert "Рассылка №1" in (card.text or "")
    await manager.send_text("1")  # the step is over: a bare number is no command now
    assert "Рассылка №1" not in ((await manager.wait_for_reply()).text or "")


async def test_menu_button_in_the_number_step_is_not_taken_for_a_number(manager: SimUser):
    await manager.send_text("/status")
    await manager.wait_for_reply()
    await manager.send_text("💰 Баланс")
    reply = await manager.wait_for_reply()
    assert "Баланс: 42,00\u00a0₽" in (reply.text or "")


async def test_track_follows_a_dispatch_made_elsewhere(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    dispatch_id = made_elsewhere(emulator)
    await manager.send_text(f"/track {dispatch_id}")
    card = await manager.wait_for_reply()
    assert f"Вы следите за рассылкой №{dispatch_id}" in (card.text or "")
    assert "🔕 Не следить" in card.button_texts()
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.creator_id is None
    assert tracked.last_status == "IN_QUEUE"
    assert await bot.store.subscriptions.is_subscribed(dispatch_id, manager.user_id)

    await manager.send_text(f"/track {dispatch_id}")
    again = await manager.wait_for_reply()
    assert f"Вы уже следите за рассылкой №{dispatch_id}" in (again.text or "")


async def test_track_of_a_missing_dispatch_tracks_nothing(bot: BotUnderTest, manager: SimUser):
    await manager.send_text("/track 4040")
    reply = await manager.wait_for_reply()
    assert reply.text == "Рассылки №4040 нет: проверьте номер."
    assert await bot.store.dispatches.count() == 0


async def test_track_alone_asks_for_the_number(bot: BotUnderTest, manager: SimUser):
    await manager.send_text("/track")
    assert "за которой следить" in ((await manager.wait_for_reply()).text or "")
    await manager.send_text("1")
    card = await manager.wait_for_reply()
    assert "Вы следите за рассылкой №1" in (card.text or "")
    assert await bot.store.subscriptions.is_subscribed(1, manager.user_id)


async def test_observer_follows_and_unfollows_from_the_card(
    bot: BotUnderTest, observer: SimUser, emulator: RunningEmulator
):
    dispatch_id = made_elsewhere(emulator)
    await observer.send_text(f"/status {dispatch_id}")
    card = await observer.wait_for_reply()
    await observer.tap("🔔 Следить")
    answer = await observer.wait_for_callback_answer()
    assert answer.text == (
        f"🔔 Вы следите за рассылкой №{dispatch_id}: я сообщу, когда изменится её статус."
    )
    following = await observer.wait_for_reply()
    assert following.message_id == card.message_id
    assert "🔕 Не следить" in following.button_texts()
    assert await bot.store.subscriptions.is_subscribed(dispatch_id, observer.user_id)

    await observer.tap("🔕 Не следить")
    assert "больше не следите" in ((await observer.wait_for_callback_answer()).text or "")
    unfollowed = await observer.wait_for_reply()
    assert "🔔 Следить" in unfollowed.button_texts()
    assert not await bot.store.subscriptions.is_subscribed(dispatch_id, observer.user_id)


async def test_repeat_is_offered_only_for_dispatches_sent_through_the_bot(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    elsewhere = made_elsewhere(emulator)
    ours = made_elsewhere(emulator)
    draft = await bot.store.drafts.create(
        manager.user_id, manager.chat_id, text="From the web", phones=["380710000001"]
    )
    assert await bot.store.drafts.claim_for_sending(draft.id)
    assert await bot.store.drafts.mark_sent(draft.id, ours)

    await manager.send_text(f"/status {elsewhere}")
    assert "🔁 Повторить" not in (await manager.wait_for_reply()).button_texts()
    await manager.send_text(f"/status {ours}")
    assert "🔁 Повторить" in (await manager.wait_for_reply()).button_texts()
