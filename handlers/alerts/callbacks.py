"""Callback data of the /alerts screen (the mute buttons under alerts are shared:
``handlers/common/callbacks.py``).

Two-letter prefixes and short fields: far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class AlertsAction(StrEnum):
    MY_DISPATCHES = "my"
    ALL_DISPATCHES = "al"
    LOW_BALANCE = "lb"
    NOT_ENOUGH_MONEY = "nm"
    THRESHOLD = "th"  # asks for a typed amount
    QUIET_HOURS = "qh"  # asks for a typed span
    QUIET_OFF = "qo"
    UNMUTE = "um"
    WEEKLY_DIGEST = "wd"  # admins only


class AlertsCallback(CallbackData, prefix="nt"):
    action: AlertsAction
