"""Buttons of the stop list's screen: a two-letter prefix, one letter and a page."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class StopListAction(StrEnum):
    SHOW = "s"  # value: the page
    ADD = "a"
    REMOVE = "r"
    EXPORT = "e"
    CANCEL = "c"  # leave adding or removing


class StopListCallback(CallbackData, prefix="sl"):
    action: StopListAction
    page: int = 0
