"""Callback data of the buttons the bot shows in groups: the group's /alerts screen and
Re-run under a group's not-enough-money alert. Their own prefixes, so that the access
gate lets exactly these taps from a group through (``handlers/groups/routing.py``).

Two-letter prefixes and short fields: far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class GroupAlertsAction(StrEnum):
    FINAL_STATES = "fs"
    NOT_ENOUGH_MONEY = "nm"
    LOW_BALANCE = "lb"
    OUTAGES = "ou"
    THRESHOLD = "th"  # asks for a typed amount, answered by a reply


class GroupAlertsCallback(CallbackData, prefix="ga"):
    action: GroupAlertsAction


class GroupRerunCallback(CallbackData, prefix="gr"):
    """Re-run under a group's alert: the question comes in the presser's private chat."""

    dispatch_id: int


GROUP_PREFIXES = frozenset({GroupAlertsCallback.__prefix__, GroupRerunCallback.__prefix__})
