"""/dispatches: the tracked dispatches, newest first, eight to a page."""

from __future__ import annotations

from datetime import timedelta

from handlers.common.formatting import visible_length
from storage import Role
from testbed.emulator import RunningEmulator
from testbed.emulator.validation import NewDispatch
from testbed.standin import SimUser
from tests.support.harness import MANAGER_ID, BotUnderTest


async def track_twenty(bot: BotUnderTest, emulator: RunningEmulator) -> list[int]:
    ids = []
    for number in range(1, 21):
        text = f"Offer <{number}> & more " + "x" * 200
        when = emulator.clock.now() + timedelta(hours=number)
        dispatch_id = emulator.state.create_dispatch(NewDispatch(text, ["380710000001"], when))
        await bot.store.dispatches.track(
            dispatch_id, MANAGER_ID, f"Book «Team {number}»", text, when
        )
        ids.append(dispatch_id)
    await bot.store.dispatches.record_observation(ids[-1], "NOT_ENOUGH_MONEY", 0, 0, 1, False, None)
    return ids


async def test_empty_list_points_to_send_and_track(observer: SimUser):
    await observer.send_text("/dispatches")
    reply = await observer.wait_for_reply()
    assert "Рассылок пока нет" in (reply.text or "")
    assert "/send" in (reply.text or "") and "/track <номер>" in (reply.text or "")


async def test_twenty_dispatches_page_by_page(
    bot: BotUnderTest, manager: SimUser, emulator: RunningEmulator
):
    ids = await track_twenty(bot, emulator)
    await manager.send_text("📋 Рассылки")
    first = await manager.wait_for_reply()
    text = first.text or ""
    assert "всего 20" in text and "Страница 1 из 3" in text
    assert [f"#{i}" for i in reversed(ids[-8:])] == [b.split()[0] for b in first.button_texts()[:8]]
    assert f"№{ids[-1]} · 💸 Недостаточно средств" in text
    assert f"№{ids[-2]} · ❔ Ещё не проверялась" in text
    assert "Offer <20> & more" in text  # escaped on the way, shown as typed
    assert "Book «Team 20»" in text
    assert "(MSK)" in text
    assert first.button_texts()[-1] == "▶️"
    assert visible_length(first.source_text or "") < 4096

    await manager.tap("▶️")
    second = await manager.wait_for_reply()
    assert second.message_id == first.message_id
    assert "Страница 2 из 3" in (second.text or "")
    assert second.button_texts()[-2:] == ["◀️", "▶️"]
    await manager.tap("▶️")
    third = await manager.wait_for_reply()
    assert "Страница 3 из 3" in (third.text or "")
    assert [b.split()[0] for b in third.button_texts()[:-1]] == [f"#{i}" for i in reversed(ids[:4])]
    await manager.tap("◀️")
    assert "Страница 2 из 3" in ((await manager.wait_for_reply()).text or "")


async def test_a_button_in_the_list_opens_the_card(
    bot: BotUnderTest, observer: SimUser, emulator: RunningEmulator
):
    ids = await track_twenty(bot, emulator)
    await observer.send_text("/dispatches")
    listing = await observer.wait_for_reply()
    await observer.tap(f"#{ids[-3]} ❔", listing)
    card = await observer.wait_for_reply()
    assert card.message_id != listing.message_id
    assert f"Рассылка №{ids[-3]}" in (card.text or "")
    assert "Получатели: Book «Team 18»" in (card.text or "")


async def test_list_in_english(bot: BotUnderTest, emulator: RunningEmulator):
    await track_twenty(bot, emulator)
    user = await bot.user(2200, Role.OBSERVER, language="en")
    await user.send_text("/dispatches")
    reply = await user.wait_for_reply()
    assert "Recent dispatches" in (reply.text or "") and "20 in all" in (reply.text or "")
    assert "Page 1 of 3" in (reply.text or "")
