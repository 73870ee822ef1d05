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


async def test_the_table_keeps_cyrillic_and_formula_looking_text_as_text(
    bot: BotUnderTest, manager: SimUser
):
    texts = ['=HYPERLINK("http://x")', "-20% до пятницы", "+7 акция", "@всем привет", "Обычный"]
    for text in texts:
        await dispatch_with(
            bot, MANAGER_ID, status=DispatchStatus.CLOSED, sent=3, delivered=3, text=text
        )
    await seen_by_poller(bot)
    await report_for(manager, "30 дней")
    document = await manager.wait_for_reply(lambda m: bool(m.document))
    sheet = workbook_of(bot, document)["Рассылки"]
    cells = [sheet.cell(row=row, column=5) for row in range(2, 2 + len(texts))]
    assert [cell.value for cell in cells] == texts
    assert all(cell.data_type == "s" for cell in cells)  # text, never a formula
    assert [cell.quotePrefix for cell in cells] == [True, True, True, True, False]
    assert sheet.cell(row=1, column=5).value == "Текст"


async def test_the_table_has_a_row_a_day_and_the_totals(bot: BotUnderTest, admin: SimUser):
    await dispatch_with(bot, ADMIN_ID, status=DispatchStatus.CLOSED, sent=3, delivered=1)
    await seen_by_poller(bot)
    await report_for(admin, "7 дней")
    document = await admin.wait_for_reply(lambda m: bool(m.document))
    rows = list(workbook_of(bot, document)["По дням"].iter_rows(values_only=True))
    assert rows[0] == (
        "Дата",
        "Рассылок",
        "SMS-частей",
        "Отправлено",
        "Доставлено",
        "Потрачено, ₽",
        "Зачислено, ₽",
        "Баланс на конец дня, ₽",
    )
    assert len(rows) == 1 + 7 + 1
    assert rows[7][1:5] == (1, 3, 3, 1)  # today, the last day
    assert rows[-1][:5] == ("Итого", 1, 3, 3, 1)
    assert rows[-1][7] == 42  # the balance read last


async def test_an_empty_period_says_so_and_sends_no_files(bot: BotUnderTest, manager: SimUser):
    await seen_by_poller(bot)
    summary = await report_for(manager, "Сегодня")
    text = summary.text or ""
    assert "За этот период рассылок не было." in text
    assert "Потрачено: 0,00\u00a0₽" in text
    assert "График" not in text
    with pytest.raises(TimeoutError):
        await manager.wait_for_reply(lambda m: bool(m.photo or m.document), timeout=1)


async def test_a_month_is_picked_from_the_last_twelve(bot: BotUnderTest, manager: SimUser):
    await manager.send_text("/report")
    await manager.wait_for_reply()
    await manager.tap("Месяц…")
    picker = await manager.wait_for_reply()
    months = [text for text in picker.button_texts() if text != "← Назад"]
    assert len(months) == 12
    now = bot.emulator.clock.now()
    assert months[0].endswith(str(now.year)) and months[0][0].isupper()
    await manager.tap(months[0])
    summary = await manager.wait_for_reply(lambda m: "⏳" not in (m.text or ""))
    assert summary.message_id == picker.message_id
    assert (summary.text or "").startswith(f"📊 Отчёт: {months[0].lower()}")


async def test_back_from_the_months_and_another_period_under_a_report(
    bot: BotUnderTest, manager: SimUser
):
    await manager.send_text("/report")
    first = await manager.wait_for_reply()
    await manager.tap("Месяц…")
    await manager.wait_for_reply()
    await manager.tap("← Назад")
    back = await manager.wait_for_reply()
    assert back.message_id == first.message_id and back.button_texts()[:2] == ["Сегодня", "7 дней"]

    await manager.tap("Сегодня")
    summary = await manager.wait_for_reply(lambda m: "⏳" not in (m.text or ""))
    await manager.tap("📊 Другой период", summary)
    fresh = await manager.wait_for_reply(lambda m: m.message_id != summary.message_id)
    assert fresh.text == "📊 Отчёт\nЗа какой период?"
    kept = next(m for m in manager.messages if m.message_id == summary.message_id)
    assert kept.text == summary.text and not kept.inline_keyboard


async def test_a_month_not_offered_is_refused(bot: BotUnderTest, manager: SimUser):
    await manager.send_text("/report")
    await manager.wait_for_reply()
    await manager.send_callback("rq:c:2001:5")
    answer = await manager.wait_for_callback_answer()
    assert answer.show_alert and "последние 12 месяцев" in (answer.text or "")
    await manager.send_callback("rq:c:2026:13")
    assert "последние 12" in ((await manager.wait_for_callback_answer()).text or "")


async def test_a_failing_sms_api_is_explained_and_the_kept_figures_still_shown(
    bot: BotUnderTest, manager: SimUser
):
    await dispatch_with(bot, MANAGER_ID, status=DispatchStatus.CLOSED, sent=3, delivered=3)
    await seen_by_poller(bot)
    bot.emulator.state.faults.update({"down": True})
    summary = await report_for(manager, "7 дней")
    text = summary.text or ""
    assert "⚠️ Баланс сейчас не прочитан: SMS-сервис не отвечает" in text
    assert "Рассылок: 1" in text and "Баланс сейчас:" not in text
    assert await manager.wait_for_reply(lambda m: bool(m.document))


async def test_a_slow_sms_api_gets_the_tap_answered_at_once(bot: BotUnderTest, manager: SimUser):
    bot.emulator.state.faults.update({"latency_ms": 2000})
    await manager.send_text("/report")
    await manager.wait_for_reply()
    await manager.tap("Сегодня")
    toast = await manager.wait_for_callback_answer(timeout=1)
    assert toast.text == "Готовлю отчёт…"
    preparing = await manager.wait_for_reply(timeout=1)
    assert (
        preparing.text
        == "⏳ Готовлю отчёт: сегодня, " + bot.emulator.clock.now().strftime("%d.%m.%Y") + "…"
    )
    assert not preparing.inline_keyboard
    summary = await manager.wait_for_reply(lambda m: "Потрачено" in (m.text or ""), timeout=8)
    assert summary.message_id == preparing.message_id


async def test_a_second_tap_while_preparing_is_told_to_wait(bot: BotUnderTest, manager: SimUser):
    bot.emulator.state.faults.update({"latency_ms": 1500})
    await manager.send_text("/report")
    picker = await manager.wait_for_reply()
    await manager.send_callback("rq:d:0:0", picker)
    await manager.wait_for_callback_answer()
    await manager.send_callback("rq:w:0:0", picker)
    assert (await manager.wait_for_callback_answer()).text == (
        "Предыдущий отчёт ещё готовится — подождите пару секунд."
    )


async def test_observers_and_strangers_get_no_report(
    bot: BotUnderTest, observer: SimUser, stranger: SimUser
):
    await observer.send_text("/report")
    assert (await observer.wait_for_reply()).text == "Отчёты доступны менеджерам и администраторам."
    await observer.send_callback("rq:w:0:0")
    answer = await observer.wait_for_callback_answer()
    assert answer.text == "Отчёты доступны менеджерам и администраторам."

    await stranger.send_text("/report")
    reply = await stranger.wait_for_reply()
    assert "Отчёт" not in (reply.text or "")
    assert not [m for m in stranger.messages if m.photo or m.document]
    assert bot.standin.calls_to("sendPhoto") == []


async def test_the_report_in_english(bot: BotUnderTest):
    from storage import Role

    user = await bot.user(2300, Role.MANAGER, language="en")
    await dispatch_with(bot, 2300, status=DispatchStatus.CLOSED, sent=1234, delivered=1000)
    await seen_by_poller(bot)
    summary = await report_for(user, "7 days")
    text = summary.text or ""
    assert text.startswith("📊 Report: 7 days, ")
    assert "Sent: 1,234 · delivered: 1,000 (81.0%)" in text
    assert "Spent: ₽0.00" in text
    document = await user.wait_for_reply(lambda m: bool(m.document))
    assert list(workbook_of(bot, document).sheetnames) == ["Dispatches", "By day"]
