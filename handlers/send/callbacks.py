"""Callback data of the send conversation: two-letter prefixes, short codes and integers.

Step buttons carry ``draft``, the first characters of the draft's id, so that a button
left on an older draft's message cannot change the current one. Confirm carries the
whole id: it is the one button whose effect must be tied to exactly one draft.
"""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData

DRAFT_TOKEN_LENGTH = 8


def draft_token(draft_id: str) -> str:
    return draft_id[:DRAFT_TOKEN_LENGTH]


class SendAction(StrEnum):
    BOOK = "bk"  # value: the address book's id
    BOOKS_PAGE = "bp"  # value: the page
    TEMPLATES = "tl"  # value: the page
    TEMPLATE = "tp"  # value: the template's id
    TEXT_BACK = "tb"  # from the templates back to the text question
    STEP_BACK = "sk"  # to the step before this one
    PASTE_YES = "py"
    PASTE_NO = "pn"
    SAVE_TEMPLATE = "st"
    RESUME = "rs"  # an unfinished draft: continue it
    DISCARD = "ds"  # an unfinished draft: start over
    NOW = "nw"
    IN_HOUR = "h1"
    TOMORROW = "tm"
    CALENDAR = "cl"
    TIME_BACK = "bt"
    EDIT = "ed"
    EDIT_RECIPIENTS = "er"
    EDIT_TEXT = "et"
    EDIT_TIME = "ei"
    SUMMARY_BACK = "sb"
    CANCEL = "cx"
    TEST_TO_ME = "tt"  # value: the summary's test key
    REPEAT_ON_SCHEDULE = "rr"  # the summary's draft to a new schedule (the recurring feature)


class SendCallback(CallbackData, prefix="sn"):
    action: SendAction
    draft: str
    value: int = 0


class ConfirmCallback(CallbackData, prefix="sc"):
    draft_id: str
    again: bool = False  # the summary warned of the same send minutes ago


class CalendarKind(StrEnum):
    WEEKS = "w"  # show the weeks from ``weeks`` weeks after this one
    DAY = "d"  # a day was picked: show its hours
    HOUR = "h"  # an hour was picked: show its minutes
    MINUTE = "i"  # the moment is complete
    NOOP = "n"  # a header, a blank or a past day


class CalendarCallback(CallbackData, prefix="sk"):
    draft: str
    kind: CalendarKind
    weeks: int = 0
    year: int = 0
    month: int = 0
    day: int = 0
    hour: int = 0
    minute: int = 0
