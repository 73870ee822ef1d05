"""``/report``: pick a period in one message, which then becomes the report's summary;
the chart and the table follow as a photo and a file.

A tap is answered at once and the message says the report is being prepared; the work
(one balance read from the SMS API within the tap budget, the figures from the database,
the drawing in a worker thread) runs in the background, so the person's next update is
not held. One report at a time per person: a second tap meanwhile is told to wait.
"""

from __future__ import annotations

import asyncio
import logging
from decimal import Decimal

from aiogram.exceptions import TelegramAPIError
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from core.reports import Report, gather_report
from core.reports.chart import draw_chart
from core.reports.periods import (
    Period,
    calendar_month,
    last_days,
    month_offered,
    today,
)
from core.reports.spreadsheet import build_workbook
from core.sms import SmsApiError
from handlers.common.background import Background
from handlers.common.context import Context
from handlers.common.replies import (
    answer,
    edit_quietly,
    explain_failure,
    show,
    tapped_message,
    within_tap_budget,
)
from handlers.reports.callbacks import ReportCallback, ReportChoice
from handlers.reports.screens import another_period_keyboard, months_screen, periods_screen
from handlers.reports.texts import chart_text, file_name, period_name, sheets, summary_text

log = logging.getLogger(__name__)

# Who has a report in the making, by user id: kept in the dispatcher's data.
REPORT_JOBS = "report_jobs"


async def show_periods(message: Message, ctx: Context) -> None:
    screen = periods_screen(ctx.t)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def show_months(query: CallbackQuery, ctx: Context) -> None:
    await answer(query)
    await show(query, ctx, months_screen(ctx.t, ctx.now(), ctx.tz))


async def back_to_periods(query: CallbackQuery, ctx: Context) -> None:
    await answer(query)
    await show(query, ctx, periods_screen(ctx.t))


async def another_report(query: CallbackQuery, ctx: Context) -> None:
    """Under a finished report: the report stays as it is, the periods come anew."""
    await answer(query)
    await edit_quietly(tapped_message(query), None, None)
    screen = periods_screen(ctx.t)
    await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)


async def refused(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("reports.read_only"))


async def refused_tap(query: CallbackQuery, ctx: Context) -> None:
    await answer(query, ctx.t("reports.read_only"), alert=True)


def chosen_period(choice: ReportCallback, ctx: Context) -> Period | None:
    """The period a button names; None for a month that is not offered (forged data)."""
    now, tz = ctx.now(), ctx.tz
    if choice.choice is ReportChoice.TODAY:
        return today(now, tz)
    if choice.choice is ReportChoice.LAST_7_DAYS:
        return last_days(now, tz, 7)
    if choice.choice is ReportChoice.LAST_30_DAYS:
        return last_days(now, tz, 30)
    if choice.choice is ReportChoice.MONTH and month_offered(now, tz, choice.year, choice.month):
        return calendar_month(choice.year, choice.month, tz)
    return None


async def make_report(
    query: CallbackQuery,
    callback_data: ReportCallback,
    ctx: Context,
    background: Background,
    report_jobs: set[int],
) -> None:
    t = ctx.t
    period = chosen_period(callback_data, ctx)
    if period is None:
        await answer(query, t("reports.month_unavailable"), alert=True)
        return
    if ctx.user_id in report_jobs:
        await answer(query, t("reports.busy"))
        return
    report_jobs.add(ctx.user_id)
    try:
        await answer(query, t("reports.preparing_toast"))
        preparing = t("reports.preparing", period=period_name(t, period))
        message = tapped_message(query)
        if message is None or not await edit_quietly(message, preparing):
            message = await ctx.bot.send_message(ctx.chat_id, preparing)
    except BaseException:
        report_jobs.discard(ctx.user_id)
        raise
    background.spawn(_prepare(ctx, message, period, report_jobs), name=f"report-{ctx.user_id}")


async def _prepare(ctx: Context, message: Message, period: Period, report_jobs: set[int]) -> None:
    try:
        balance, failure = await _read_balance(ctx)
        report = await gather_report(ctx.store, period, ctx.now(), balance)
        text = summary_text(ctx.t, report, ctx.tz, failure=failure)
        await edit_quietly(message, text, another_period_keyboard(ctx.t))
        if not report.empty:
            await _send_files(ctx, report)
    finally:
        report_jobs.discard(ctx.user_id)


async def _read_balance(ctx: Context) -> tuple[Decimal | None, str | None]:
    """The balance now (kept for the reports, like the poller's readings), or why not."""
    try:
        balance = await within_tap_budget(ctx.sms.balance())
    except SmsApiError as error:
        return None, await explain_failure(ctx, error)
    await ctx.store.balance_history.record(balance.balance, ctx.now())
    return balance.balance, None


async def _send_files(ctx: Context, report: Report) -> None:
    t, name = ctx.t, period_name(ctx.t, report.period)
    try:
        await ctx.bot.send_chat_action(ctx.chat_id, "upload_photo")
        picture = await asyncio.to_thread(draw_chart, report.days, chart_text(t, report.period))
        await ctx.bot.send_photo(
            ctx.chat_id,
            BufferedInputFile(picture, filename="report.png"),
            caption=t("reports.photo_caption", period=name),
        )
        table = await asyncio.to_thread(build_workbook, sheets(t, report, ctx.tz))
        await ctx.bot.send_document(
            ctx.chat_id,
            BufferedInputFile(table, filename=file_name(report.period)),
            caption=t("reports.file_caption", period=name),
        )
    except TelegramAPIError as error:
        log.warning("Report files not sent to %s: %s", ctx.user_id, error.message)
        await ctx.bot.send_message(ctx.chat_id, t("reports.files_failed"))
