"""Callback data of /recurring: two-letter prefixes and actions, integers and a short
token only, so a payload stays far below Telegram's 64 bytes whatever it names."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

SETUP_TOKEN_LENGTH = 12  # the whole set-up key


class ScheduleAction(StrEnum):
    LIST = "ls"  # value: the page
    OPEN = "op"
    NEW = "nw"
    PAUSE = "pa"
    RESUME = "re"
    EDIT_TEXT = "et"
    EDIT_TIME = "ei"
    EDIT_RULE = "er"
    EDIT_PERIOD = "ep"
    LATE = "lt"  # value: 1 to send missed ones late, 0 not to
    DELETE = "dl"  # asks first
    DELETE_YES = "dy"


class ScheduleCallback(CallbackData, prefix="rv"):
    action: ScheduleAction
    schedule_id: int = 0
    value: int = 0


class SetupAction(StrEnum):
    BOOK = "bk"  # value: the address book's id
    BOOKS_AGAIN = "ba"
    KIND = "kd"  # value: the index of the kind in KINDS
    DAY = "dy"  # value: a day of the week to tick or untick (Monday = 0)
    DAYS_DONE = "dd"
    MONTH_DAY = "md"  # value: 1..31
    TIME = "tm"  # value: minutes after midnight
    NO_BOUNDS = "nb"
    BACK = "bc"  # from a rule's details back to the kinds
    LATE = "lt"  # value: 1 or 0
    CHANGE_RULE = "cr"
    CHANGE_TIME = "ct"
    CHANGE_PERIOD = "cp"
    SAVE = "sv"
    CANCEL = "cx"


class SetupCallback(CallbackData, prefix="rw"):
    """A button of the set-up wizard; ``token`` ties it to one set-up."""

    action: SetupAction
    token: str
    value: int = 0
