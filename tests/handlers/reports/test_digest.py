"""The admins' weekly digest: switched on in /alerts, sent on Monday at 09:00 once a week,
across a restart, and only to those who asked for it."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from storage import Role
from testbed.emulator.models import DispatchStatus
from testbed.standin import SimUser
from tests.handlers.reports.conftest import SECOND_ADMIN_ID
from tests.support.harness import ADMIN_ID, MANAGER_ID, BotUnderTest
from tests.support.notify import sends_to
from tests.support.reports import PNG_SIGNATURE, dispatch_with, photo_of, seen_by_poller

MSK = ZoneInfo("Europe/Moscow")
# Far from the machine's own date, so that the digest's own task, which looks at the real
# clock after a restart, finds nothing of these weeks to send.
LAST_TUESDAY = datetime(2030, 3, 5, 10, 0, tzinfo=MSK)
MONDAY_MORNING = datetime(2030, 3, 11, 8, 59, tzinfo=MSK)


def set_time(bot: BotUnderTest, moment: datetime) -> None:
    """The bot's clock and the SMS API's agree, as they do in the field: a dispatch sent
    at once carries the server's dateSend, which a report counts by."""
    assert bot.app is not None
    bot.app.clock.source = lambda: moment
    ahead = (moment - bot.emulator.clock.now()).total_seconds()
    if ahead > 0:
        bot.emulator.clock.advance(ahead)


async def tick(bot: BotUnderTest) -> int:
    assert bot.app is not None
    return await bot.app.digest.tick()


async def switch_digest(user: SimUser) -> str:
    await user.send_text("/alerts")
    await user.wait_for_reply()
    button = next(text for text in user.messages[-1].button_texts() if "Сводка за неделю" in text)
    await user.tap(button)
    return (await user.wait_for_reply()).text or ""


async def test_only_admins_see_the_digest_switch(
    bot: BotUnderTest, admin: SimUser, manager: SimUser
):
    await manager.send_text("/alerts")
    assert "Сводка за неделю" not in ((await manager.wait_for_reply()).text or "")
    await manager.send_callback("nt:wd")
    await manager.wait_for_callback_answer()
    assert not await bot.store.digests.is_enabled(MANAGER_ID)

    await admin.send_text("/alerts")
    shown = await admin.wait_for_reply()
    assert "▫️ Сводка за неделю: по понедельникам в 9:00 (MSK)" in (shown.text or "")
    assert "▫️ Сводка за неделю" in shown.button_texts()
    text = await switch_digest(admin)
    assert "✅ Сводка за неделю" in text
    assert await bot.store.digests.is_enabled(ADMIN_ID)
    assert "▫️ Сводка за неделю" in await switch_digest(admin)
    assert not await bot.store.digests.is_enabled(ADMIN_ID)


async def test_the_digest_comes_once_on_monday_across_a_restart(two_admins_bot: BotUnderTest):
    bot = two_admins_bot
    asked = await bot.user(ADMIN_ID, Role.ADMIN, first_name="Alla")
    silent = await bot.user(SECOND_ADMIN_ID, Role.ADMIN, first_name="Boris")
    await silent.send_text("/start")
    await silent.wait_for_reply()
    set_time(bot, LAST_TUESDAY)
    await switch_digest(asked)
    await seen_by_poller(bot)
    await dispatch_with(bot, ADMIN_ID, status=DispatchStatus.CLOSED, sent=3, delivered=2)
    await seen_by_poller(bot)

    set_time(bot, MONDAY_MORNING)
    assert await tick(bot) == 0  # not yet 09:00
    set_time(bot, MONDAY_MORNING + timedelta(minutes=1))
    assert await tick(bot) == 1
    digest = await asked.wait_for_reply(lambda m: bool(m.text) and "Сводка за неделю" in m.text)
    text = digest.text or ""
    assert "📊 Отчёт: неделя 04.03 – 10.03.2030" in text
    assert "Рассылок: 1" in text and "доставлено: 2 (66,7\u00a0%)" in text
    assert "по понедельникам в 9:00 (MSK); отключить — /alerts" in text
    photo = await asked.wait_for_reply(lambda m: bool(m.photo))
    assert photo_of(bot, photo).startswith(PNG_SIGNATURE)
    assert await tick(bot) == 0

    await bot.restart()
    set_time(bot, MONDAY_MORNING + timedelta(hours=3))
    assert await tick(bot) == 0
    assert len(sends_to(bot.standin, ADMIN_ID, "sendPhoto")) == 1
    assert sends_to(bot.standin, SECOND_ADMIN_ID, "sendPhoto") == []
    assert [m for m in silent.messages if "Сводка за неделю" in (m.text or "")] == []

    set_time(bot, MONDAY_MORNING + timedelta(days=7, minutes=1))
    assert await tick(bot) == 1  # the next week's


async def test_switched_on_after_monday_nine_the_first_digest_is_next_weeks(
    bot: BotUnderTest, admin: SimUser
):
    set_time(bot, MONDAY_MORNING + timedelta(hours=2))
    await switch_digest(admin)
    assert await tick(bot) == 0
    set_time(bot, MONDAY_MORNING + timedelta(days=7, minutes=1))
    assert await tick(bot) == 1


async def test_a_digest_that_did_not_reach_the_admin_is_tried_again(
    bot: BotUnderTest, admin: SimUser
):
    set_time(bot, LAST_TUESDAY)
    await switch_digest(admin)
    set_time(bot, MONDAY_MORNING + timedelta(minutes=5))
    bot.standin.fail_next("sendMessage", 400, "Bad Request: something went wrong")
    assert await tick(bot) == 0
    assert await tick(bot) == 1
    # An empty week: the summary alone, no chart.
    assert sends_to(bot.standin, ADMIN_ID, "sendPhoto") == []
