"""What a bound group hears: final states within Telegram's 20 messages a minute (gathered
when many come at once), not enough money with a Re-run checked against whoever presses
it, a low balance below the group's threshold, outages; never a phone number or an SMS
text; and nothing once the bot is out."""

from __future__ import annotations

import time
from decimal import Decimal

import pytest

from handlers.common.i18n import translator
from storage import Role
from testbed.standin import BotApiStandin, FloodLimits, SimUser, StandinMessage
from tests.support.groups import (
    TEAM_ID,
    bind,
    most_in_a_minute,
    sends_into,
    team_with_the_bot,
    texts,
)
from tests.support.harness import ADMIN_ID, MANAGER_ID, BotUnderTest
from tests.support.notify import PHONES, make_dispatch, wait_cycles
from tests.support.waiting import eventually, updates_handled

pytestmark = pytest.mark.usefixtures("aligned_clock")

RU = translator("ru")
SMS_TEXT = "Скидки до пятницы"
BURST = 100


def rerun_button(dispatch_id: int) -> str:
    return RU("group_alerts.button_rerun", id=dispatch_id)


def nothing_private(messages: list[StandinMessage]) -> None:
    """No phone number and no SMS text in what the group was shown."""
    for text in texts(messages):
        assert SMS_TEXT not in text
        for phone in PHONES:
            assert phone not in text and phone[-7:] not in text


async def test_a_burst_of_final_states_reaches_the_group_in_a_few_messages_within_its_limit(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    standin.enable_flood_control(FloodLimits())  # Telegram's limits, 20 a minute per group
    team = await team_with_the_bot(bot, standin, admin)
    await bind(bot, final_states=True)
    bot.emulator.state.set_balance(Decimal(10_000))  # enough for every one of them
    ids = [await make_dispatch(bot, None) for _ in range(BURST)]
    await wait_cycles(bot, 1)

    started = time.time()
    bot.emulator.clock.advance(600)  # every one of them closes

    def all_told() -> bool | None:
        shown = "\n".join(texts(team.bot_messages()))
        return all(f"№{dispatch_id} " in shown for dispatch_id in ids) or None

    await standin.state.wait_for(all_told, 30)
    await wait_cycles(bot, 3)  # and nothing more comes after

    sends = sends_into(standin, TEAM_ID)
    times = [call.time for call in sends]
    shown = "\n".join(texts(team.bot_messages()))
    assert sorted(int(n) for n in _numbers(shown)) == sorted(ids)  # each once
    assert len(sends) <= 6  # gathered: a few messages, not a hundred
    assert most_in_a_minute(times) <= 20
    assert times[-1] - started < 10  # the last within seconds, not minutes
    assert standin.rate_limited_count == 0
    nothing_private(team.bot_messages())


def _numbers(shown: str) -> list[str]:
    # "✅ №12 завершена: ..." (a line of a digest) or "✅ Рассылка №12 завершена." (alone)
    return [part.split(" ", 1)[0].rstrip(".:") for part in shown.split("№")[1:]]


async def test_the_group_hears_of_a_stop_and_rerun_is_checked_against_whoever_presses_it(
    bot: BotUnderTest,
    standin: BotApiStandin,
    admin: SimUser,
    manager: SimUser,
    observer: SimUser,
    stranger: SimUser,
):
    other = await bot.user(2500, Role.MANAGER, first_name="Mira")
    team = await team_with_the_bot(bot, standin, admin, manager, observer, stranger, other)
    await bind(bot, not_enough_money=True)
    bot.emulator.state.set_balance(Decimal("1"))
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(6)

    alert = await team.wait_for_reply(lambda m: "недостаточно средств" in (m.text or ""))
    assert alert.text.startswith(f"💸 Рассылка №{dispatch_id} остановлена")
    assert alert.button_texts() == [rerun_button(dispatch_id)]
    nothing_private([alert])

    refusals = {
        stranger: (RU("group_alerts.not_a_user", bot="@phoenix_sms_bot"), True),
        observer: (RU("group_alerts.read_only"), True),
        other: (RU("dispatches.not_yours"), True),  # not theirs, and no admin allowed it
    }
    for person, (said, as_alert) in refusals.items():
        update = await team.tap(person, rerun_button(dispatch_id), alert)
        toast = await person.wait_for_callback_answer(update["callback_query"]["id"])
        assert (toast.text, toast.show_alert) == (said, as_alert)
    await updates_handled(bot)
    for person in (stranger, observer, other):
        assert person.messages == []  # nothing in private either
    assert bot.sms_requests("/dispatches/run") == []
    assert await bot.store.users.get(stranger.user_id) is None

    # The creator may: the question comes in private, and "yes" there re-runs it.
    bot.emulator.state.set_balance(Decimal("100"))
    update = await team.tap(manager, rerun_button(dispatch_id), alert)
    toast = await manager.wait_for_callback_answer(update["callback_query"]["id"])
    assert toast.text == RU("group_alerts.question_sent")
    question = await manager.wait_for_reply(lambda m: "перезапустить" in (m.text or "").lower())
    await manager.tap("✅ Да, перезапустить", question)
    await manager.wait_for_reply(lambda m: "перезапущена" in (m.text or ""))
    assert [e["method"] for e in bot.sms_requests("/dispatches/run")] == ["POST"]
    assert team.bot_messages() == [alert]  # the group's message stays as it was


async def test_an_admins_tap_on_rerun_asks_the_admin_in_private(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser, manager: SimUser
):
    team = await team_with_the_bot(bot, standin, admin, manager)
    await bind(bot, not_enough_money=True)
    bot.emulator.state.set_balance(Decimal("1"))
    dispatch_id = await make_dispatch(bot, MANAGER_ID)
    bot.emulator.clock.advance(6)
    alert = await team.wait_for_reply(lambda m: bool(m.inline_keyboard))

    update = await team.tap(admin, rerun_button(dispatch_id), alert)
    toast = await admin.wait_for_callback_answer(update["callback_query"]["id"])
    assert toast.text == RU("group_alerts.question_sent")
    question = await admin.wait_for_reply(lambda m: f"№{dispatch_id}" in (m.text or ""))
    assert "✅ Да, перезапустить" in question.button_texts()
    assert SMS_TEXT in question.text  # the card in private shows what the group does not


async def test_a_low_balance_below_the_groups_threshold_and_an_outage_are_told_once(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    team = await team_with_the_bot(bot, standin, admin)
    await bind(bot, low_balance=True, threshold=Decimal(50), outages=True)  # the API has 42

    low = await team.wait_for_reply(lambda m: "Низкий баланс" in (m.text or ""))
    assert "42,00\u00a0₽" in low.text and "50,00\u00a0₽" in low.text
    await wait_cycles(bot, 3)
    assert len(team.bot_messages()) == 1  # not again while it stays low
    alerts = await bot.store.group_alerts.get(TEAM_ID)
    assert alerts is not None and not alerts.armed

    bot.emulator.state.faults.update({"down": True})
    down = await team.wait_for_reply(lambda m: "недоступен" in (m.text or ""), timeout=15)
    assert "токен" not in down.text  # why is the admins' business
    bot.emulator.state.faults.update({"down": False})
    back = await team.wait_for_reply(lambda m: "снова работает" in (m.text or ""), timeout=15)
    assert back.message_id != down.message_id
    await wait_cycles(bot, 2)
    assert len(team.bot_messages()) == 3


async def test_a_group_that_chose_nothing_or_lost_the_bot_hears_nothing(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    team = await team_with_the_bot(bot, standin, admin)
    await bind(bot)  # bound, hearing nothing
    first = await make_dispatch(bot, None)
    bot.emulator.clock.advance(600)
    await wait_cycles(bot, 3)
    assert team.bot_messages() == []

    await bind(bot, final_states=True)
    await team.remove_bot(by=admin)

    async def ended() -> bool:
        return await bot.store.group_alerts.get(TEAM_ID) is None

    await eventually(ended)
    second = await make_dispatch(bot, None)
    bot.emulator.clock.advance(600)
    await wait_cycles(bot, 3)
    assert team.bot_messages() == []
    assert sends_into(standin, TEAM_ID) == []
    tracked = await bot.store.dispatches.get(second)
    assert tracked is not None and tracked.is_final and first != second


async def test_a_group_removed_while_the_bot_was_away_is_forgotten_at_its_first_alert(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    team = await team_with_the_bot(bot, standin, admin)
    await bind(bot, final_states=True)
    await bot.stop()
    await team.remove_bot(by=admin)
    standin.state.updates.drop_pending()  # the bot never hears of it
    await bot.start()
    bot.app.clock.source = bot.emulator.clock.now  # type: ignore[union-attr]

    await make_dispatch(bot, None)
    bot.emulator.clock.advance(600)

    async def forgotten() -> bool:
        return await bot.store.group_alerts.get(TEAM_ID) is None

    await eventually(forgotten, timeout=10)
    assert await bot.store.group_chats.get(TEAM_ID) is None


async def test_alerts_follow_a_supergroup_upgrade(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    team = await team_with_the_bot(bot, standin, admin)
    await bind(bot, final_states=True)
    supergroup = await team.upgrade(by=admin, new_chat_id=-1007002)

    async def moved() -> bool:
        return await bot.store.group_alerts.get(-1007002) is not None

    await eventually(moved)
    dispatch_id = await make_dispatch(bot, None)
    bot.emulator.clock.advance(600)
    final = await supergroup.wait_for_reply()
    assert final.text.startswith(f"✅ Рассылка №{dispatch_id} завершена.")
    assert "Доставлено: 3 из 3" in final.text
    assert team.bot_messages() == []
    assert ADMIN_ID in [member["id"] for member in supergroup.members]
