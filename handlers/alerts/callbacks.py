"""Callback data of the /alerts screen and of the mute buttons under alerts.

Two-letter prefixes and short fields: far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

MUTE_HOURS = (1, 8, 24)


class AlertsAction(StrEnum):
    MY_DISPATCHES = "my"
    ALL_DISPATCHES = "al"
    LOW_BALANCE = "lb"
    NOT_ENOUGH_MONEY = "nm"
    THRESHOLD = "th"  # asks for a typed amount
    QUIET_HOURS = "qh"  # asks for a typed span
    QUIET_OFF = "qo"
    UNMUTE = "um"


class AlertsCallback(CallbackData, prefix="nt"):
    action: AlertsAction


class MuteCallback(CallbackData, prefix="mu"):
    hours: int  # one of MUTE_HOURS; anything else is refused
