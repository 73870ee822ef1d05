"""Lists, cards and notifications show the same latest-known status: whatever reads a
dispatch records it, and a send time moved elsewhere is followed from its new time."""

from __future__ import annotations

from datetime import timedelta

from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.notify import align_clock, make_dispatch, wait_cycles


async def scheduled_and_seen(bot: BotUnderTest, manager: SimUser) -> int:
    """A dispatch for three days ahead, observed by the poller: not due again for a while."""
    align_clock(bot)
    dispatch_id = await make_dispatch(bot, manager.user_id, after=timedelta(days=3))
    await wait_cycles(bot, 2)
    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None and tracked.last_status == "IN_QUEUE"
    assert tracked.next_check_at is not None and tracked.next_check_at > bot.emulator.clock.now()
    return dispatch_id


async def test_the_list_shows_what_a_status_lookup_just_learned(
    bot: BotUnderTest, manager: SimUser
):
    dispatch_id = await scheduled_and_seen(bot, manager)
    bot.emulator.state.cancel_dispatch(dispatch_id)  # in the web interface, say

    await manager.send_text(f"/status {dispatch_id}")
    card = await manager.wait_for_reply(lambda m: f"№{dispatch_id}" in (m.text or ""))
    assert "Отменена" in (card.text or "")
    await manager.send_text("/dispatches")
    listed = await manager.wait_for_reply(lambda m: "📋" in (m.text or ""))
    assert f"№{dispatch_id} · 🚫 Отменена" in (listed.text or "")
    assert f"#{dispatch_id} 🚫" in listed.button_texts()


async def test_a_send_time_moved_elsewhere_is_followed_from_the_new_time_once_read(
    bot: BotUnderTest, manager: SimUser
):
    dispatch_id = await scheduled_and_seen(bot, manager)
    bot.emulator.state.hurry_dispatch(dispatch_id)  # started early: tariffing now
    bot.emulator.state.hurry_dispatch(dispatch_id)  # and sending
    moved = bot.emulator.state.dispatches[dispatch_id].date_send.replace(microsecond=0)

    await manager.send_text(f"/status {dispatch_id}")
    await manager.wait_for_reply(lambda m: f"№{dispatch_id}" in (m.text or ""))
    await wait_cycles(bot, 2)

    tracked = await bot.store.dispatches.get(dispatch_id)
    assert tracked is not None
    assert tracked.date_send == moved and tracked.last_status == "ACTIVE"
    # The poller took it up: the creator's live status message shows it sending.
    live = await manager.wait_for_reply(
        lambda m: "Отправляется" in (m.text or "") and "/status" not in (m.text or "")
    )
    assert f"№{dispatch_id}" in (live.text or "")
