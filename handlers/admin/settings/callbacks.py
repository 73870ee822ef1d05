"""Buttons of the send settings screen: a two-letter prefix, one letter of action and one
of setting, far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class Setting(StrEnum):
    PRICE = "p"
    RECIPIENTS = "r"
    PARTS = "n"
    COST = "c"


class SettingsAction(StrEnum):
    SHOW = "s"
    ASK = "a"  # ask for the setting's value
    CLEAR = "x"  # no value: no price, no such limit


class SettingsCallback(CallbackData, prefix="ss"):
    action: SettingsAction
    setting: str = ""  # a Setting's value, for ASK and CLEAR
