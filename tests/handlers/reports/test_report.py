"""/report: who may ask, the figures against the emulator's, the chart and the table."""

from __future__ import annotations

import pytest

from testbed.emulator.models import DispatchStatus
from testbed.standin import SimUser
from tests.support.harness import ADMIN_ID, MANAGER_ID, BotUnderTest
from tests.support.reports import (
    PNG_SIGNATURE,
    dispatch_with,
    photo_of,
    report_for,
    seen_by_poller,
    set_balance,
    workbook_of,
)

pytestmark = pytest.mark.usefixtures("aligned_clock")


async def test_the_figures_are_the_emulators(bot: BotUnderTest, manager: SimUser, admin: SimUser):
    await seen_by_poller(bot)  # the emulator's 42,00 is the first reading
    await dispatch_with(bot, MANAGER_ID, status=DispatchStatus.CLOSED, sent=3, delivered=2)
    await dispatch_with(bot, ADMIN_ID, status=DispatchStatus.CLOSED, sent=3, delivered=3)
    await dispatch_with(bot, None, status=DispatchStatus.CANCELED, sent=1, delivered=0)
    set_balance(bot, "30.50")
    await seen_by_poller(bot)
    set_balance(bot, "1530.50")  # a payment of 1500
    await seen_by_poller(bot)
    set_balance(bot, "1380")  # read by the report itself

    summary = await report_for(manager, "7 дней")
    text = summary.text or ""
    assert "Рассылок: 3" in text
    assert "SMS-частей: 9" in text
    assert "Отправлено: 7 · доставлено: 5 (71,4\u00a0%)" in text
    assert "Потрачено: 162,00\u00a0₽" in text  # 11.50 + 150.50: the payment is not spending
    assert "Зачислено (пополнения и возвраты): 1\u00a0500,00\u00a0₽" in text
    assert "Баланс сейчас: 1\u00a0380,00\u00a0₽" in text

    photo = await manager.wait_for_reply(lambda m: bool(m.photo))
    picture = photo_of(bot, photo)
    assert picture.startswith(PNG_SIGNATURE)
    assert 10_000 < len(picture) < 1_000_000
    assert photo.photo[-1]["width"] == 1100

    document = await manager.wait_for_reply(lambda m: bool(m.document))
    assert document.document["file_name"].endswith(".xlsx")
    book = workbook_of(bot, document)
    rows = list(book["Рассылки"].iter_rows(values_only=True))
    assert rows[0][:3] == ("№", "Отправлена", "Кто отправил")
    assert [row[6:9] for row in rows[1:4]] == [(3, 3, 2), (3, 3, 3), (3, 1, 0)]
    assert rows[1][2] == "Max" and rows[3][2] == "не через бота"
    assert rows[3][5] == "Отменена"
