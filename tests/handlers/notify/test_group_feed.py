"""A group's alerts: worded without numbers or SMS texts, and gathered into as few messages
as the group's turn allows, each within Telegram's size."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from datetime import timedelta
from decimal import Decimal

import pytest
from aiogram import Bot
from aiogram.client.default import DefaultBotProperties
from aiogram.enums import ParseMode

from core.sms import Balance, Dispatch
from core.watch import Outcome
from handlers.common.formatting import MESSAGE_LIMIT, visible_length
from handlers.common.i18n import translator
from handlers.common.outbox import Outbox, SendLimits
from handlers.notify import group_render
from handlers.notify.group_feed import DIGEST_LIMIT, RERUN_BUTTONS, GroupFeed
from storage import Storage
from testbed.standin import BotApiStandin, SimGroup
from testbed.standin.testing import bot_for
from tests.support.dispatches import MOSCOW, NOW, dispatch

RU, EN = translator("ru"), translator("en")
GROUP_ID = -8001
PHONE = "79991234567"
QUICK = SendLimits(per_chat_interval=0.05)


def numbered(number: int, status: str = "CLOSED", text: str = "Hello") -> Dispatch:
    return dispatch(status, text).model_copy(update={"id": number})


# -- the words ---------------------------------------------------------------------------


@pytest.mark.parametrize("t", [RU, EN])
def test_a_final_state_says_what_happened_and_nothing_of_the_text_or_numbers(t) -> None:
    secret = numbered(12, "CLOSED", f"Call {PHONE}, code 4411").model_copy(
        update={"comment": f"list of {PHONE}"}
    )
    alert = group_render.final_state(t, secret, MOSCOW)
    for text in (alert.text, alert.line):
        assert "12" in text
        assert PHONE not in text and "4411" not in text and "Call" not in text
        assert "list of" not in text
    assert alert.rerun is None


def test_each_final_state_reads_as_it_ended() -> None:
    closed = group_render.final_state(RU, numbered(1, "CLOSED"), MOSCOW)
    cancelled = group_render.final_state(RU, numbered(2, "CANCELED"), MOSCOW)
    odd = group_render.final_state(RU, numbered(3, "ARCHIVED<b>"), MOSCOW)
    assert closed.text.startswith(RU("group_alerts.final_closed", id=1, delivered=0, count=3))
    assert cancelled.line == RU("group_alerts.line_canceled", id=2, sent=1, count=3)
    assert "ARCHIVED&lt;b&gt;" in odd.text  # a status the API invents is escaped


def test_a_stop_carries_its_rerun_and_the_money_left() -> None:
    alert = group_render.not_enough_money(RU, numbered(5, "NOT_ENOUGH_MONEY"), Decimal("1.5"))
    assert alert.rerun == 5
    assert "1,50\u00a0₽" in alert.text
    unknown = group_render.not_enough_money(RU, numbered(5, "NOT_ENOUGH_MONEY"), None)
    assert "Доступно сейчас" not in unknown.text  # the balance could not be read


def test_low_balance_and_outages_are_worded_for_the_group() -> None:
    balance = Balance.model_validate({"balance": 42})
    low = group_render.low_balance(EN, balance, NOW.date(), Decimal(50))
    assert "₽42.00" in low.text and "₽50.00" in low.text
    down = group_render.api_down(RU, NOW, MOSCOW)
    back = group_render.api_back(RU, NOW, NOW + timedelta(minutes=5), MOSCOW)
    assert "01.03.2025 12:00" in down.text and "12:05" in back.text


def test_a_digest_lists_service_news_money_stops_then_results_by_number() -> None:
    alerts = [
        group_render.final_state(RU, numbered(9), MOSCOW),
        group_render.not_enough_money(RU, numbered(8, "NOT_ENOUGH_MONEY"), None),
        group_render.final_state(RU, numbered(3), MOSCOW),
        group_render.api_down(RU, NOW, MOSCOW),
        group_render.not_enough_money(RU, numbered(4, "NOT_ENOUGH_MONEY"), None),
    ]
    text = group_render.digest_text(RU, alerts)
    lines = text.split("\n")
    assert lines[0] == RU.plural("group_alerts.digest_title", 5)
    assert [line.split()[0] for line in lines[1:]] == ["⚠️", "💸", "💸", "✅", "✅"]
    assert "№4" in lines[2] and "№8" in lines[3] and "№3" in lines[4]
    keyboard = group_render.rerun_keyboard(RU, alerts)
    assert keyboard is not None
    assert [b.text for row in keyboard.inline_keyboard for b in row] == [
        RU("group_alerts.button_rerun", id=4),
        RU("group_alerts.button_rerun", id=8),
    ]
    assert group_render.rerun_keyboard(RU, alerts[:1]) is None


# -- the feed, through the stand-in ------------------------------------------------------


@pytest.fixture
async def telegram(standin: BotApiStandin) -> AsyncIterator[Bot]:
    bot = bot_for(standin, default=DefaultBotProperties(parse_mode=ParseMode.HTML))
    yield bot
    await bot.session.close()


@pytest.fixture
async def team(standin: BotApiStandin) -> SimGroup:
    alla = standin.user(8001, "Alla")
    group = standin.group(GROUP_ID, "Team", [alla])
    await group.add_bot(by=alla)
    return group


async def test_alerts_that_wait_for_the_groups_turn_go_as_one_message(
    telegram: Bot, store: Storage, team: SimGroup
) -> None:
    feed = GroupFeed(Outbox(telegram, store.users, QUICK), GROUP_ID)
    first = await feed.post(RU, group_render.final_state(RU, numbered(1), MOSCOW))
    results = await asyncio.gather(
        *(feed.post(RU, group_render.final_state(RU, numbered(n), MOSCOW)) for n in range(2, 6))
    )

    shown = team.bot_messages()
    assert first.outcome is Outcome.SENT and first.message_id == shown[0].message_id
    assert len(shown) == 2 and feed.messages_sent == 2
    assert shown[0].text.startswith("✅ Рассылка №1 завершена.")  # alone: as it reads alone
    assert shown[1].text.split("\n")[0] == "📬 4 уведомления"
    assert {result.message_id for result in results} == {shown[1].message_id}


async def test_a_digest_never_outgrows_a_message_nor_its_keyboard(
    telegram: Bot, store: Storage, team: SimGroup
) -> None:
    feed = GroupFeed(Outbox(telegram, store.users, QUICK), GROUP_ID)
    stops = [
        group_render.not_enough_money(RU, numbered(n, "NOT_ENOUGH_MONEY"), None)
        for n in range(1, 21)
    ]
    finals = [group_render.final_state(RU, numbered(n), MOSCOW) for n in range(100, 400)]
    results = await asyncio.gather(*(feed.post(RU, alert) for alert in [*stops, *finals]))

    assert all(result.outcome is Outcome.SENT for result in results)
    shown = team.bot_messages()
    for message in shown:
        assert visible_length(message.source_text or "") < MESSAGE_LIMIT
        assert len(message.source_text or "") <= DIGEST_LIMIT
        assert len(message.buttons) <= RERUN_BUTTONS
    told = "\n".join(message.text or "" for message in shown)
    assert all(f"№{n} " in told for n in [*range(1, 21), *range(100, 400)])
    assert len(shown) <= 8  # 320 alerts: a few messages


async def test_a_stopping_bot_fails_what_waits_and_sends_nothing_more(
    telegram: Bot, store: Storage, team: SimGroup
) -> None:
    outbox = Outbox(telegram, store.users, SendLimits(per_chat_interval=5))
    feed = GroupFeed(outbox, GROUP_ID)
    await feed.post(RU, group_render.final_state(RU, numbered(1), MOSCOW))
    waiting = asyncio.create_task(feed.post(RU, group_render.final_state(RU, numbered(2), MOSCOW)))
    await asyncio.sleep(0.05)
    outbox.close()
    assert (await asyncio.wait_for(waiting, 1)).outcome is Outcome.FAILED
    assert len(team.bot_messages()) == 1


async def test_a_group_the_bot_is_out_of_gets_its_alerts_back_unreachable(
    standin: BotApiStandin, telegram: Bot, store: Storage, team: SimGroup
) -> None:
    await team.remove_bot(by=standin.user(8001))
    feed = GroupFeed(Outbox(telegram, store.users, QUICK), GROUP_ID)
    delivery = await feed.post(RU, group_render.final_state(RU, numbered(1), MOSCOW))
    assert delivery.outcome is Outcome.UNREACHABLE and feed.messages_sent == 0
