"""Callback data of the report's buttons: a few letters and small integers, far below
Telegram's 64 bytes. A month comes back as numbers and is checked against the months
offered, since callback data can be forged."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ReportChoice(StrEnum):
    TODAY = "d"
    LAST_7_DAYS = "w"
    LAST_30_DAYS = "m"
    MONTHS = "ms"  # shows the month picker
    MONTH = "c"  # one month: year and month given
    BACK = "b"  # from the month picker back to the periods
    AGAIN = "a"  # under a finished report: the periods as a new message


class ReportCallback(CallbackData, prefix="rq"):
    choice: ReportChoice
    year: int = 0
    month: int = 0
