"""The report's one message before the figures: the periods, and the months."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.reports.periods import recent_months
from handlers.common.i18n import Translator
from handlers.common.replies import Screen
from handlers.reports.callbacks import ReportCallback, ReportChoice
from handlers.reports.texts import month_name

MONTHS_PER_ROW = 3


def periods_screen(t: Translator) -> Screen:
    builder = InlineKeyboardBuilder()
    for key, choice in (
        ("reports.button_today", ReportChoice.TODAY),
        ("reports.button_7", ReportChoice.LAST_7_DAYS),
        ("reports.button_30", ReportChoice.LAST_30_DAYS),
        ("reports.button_month", ReportChoice.MONTHS),
    ):
        builder.button(text=t(key), callback_data=ReportCallback(choice=choice))
    builder.adjust(2, 2)
    return Screen(t("reports.pick"), builder.as_markup())


def months_screen(t: Translator, now: datetime, tz: ZoneInfo) -> Screen:
    builder = InlineKeyboardBuilder()
    months = recent_months(now, tz)
    for month in months:
        builder.button(
            text=month_name(t, month).capitalize(),
            callback_data=ReportCallback(
                choice=ReportChoice.MONTH, year=month.year, month=month.month
            ),
        )
    builder.button(
        text=t("reports.button_back"), callback_data=ReportCallback(choice=ReportChoice.BACK)
    )
    rows = [MONTHS_PER_ROW] * (len(months) // MONTHS_PER_ROW)
    builder.adjust(*rows, 1)
    return Screen(t("reports.pick_month"), builder.as_markup())


def another_period_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("reports.button_other"), callback_data=ReportCallback(choice=ReportChoice.AGAIN)
    )
    return builder.as_markup()
