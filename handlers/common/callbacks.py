"""Callback data shared by several features. Prefixes are two letters and fields are
integers or short words, so a payload stays far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class CardAction(StrEnum):
    REFRESH = "rf"
    CANCEL = "cn"  # asks for confirmation
    # The "yes" of old questions, without a token: now only answered "ask again"
    # (handlers/dispatches/confirmation.py has the "yes" that does something).
    CANCEL_CONFIRMED = "cy"
    RUN = "rn"  # asks for confirmation
    RUN_CONFIRMED = "ry"
    REPEAT = "rp"  # a new draft with the same recipients and text (the send feature)
    FOLLOW = "fo"
    UNFOLLOW = "uf"
    BACK = "bk"  # from a confirmation back to the card


class CardCallback(CallbackData, prefix="dc"):
    action: CardAction
    dispatch_id: int


MUTE_HOURS = (1, 8, 24)


class MuteCallback(CallbackData, prefix="mu"):
    """A mute button under an alert (made by the notifications, handled by /alerts)."""

    hours: int  # one of MUTE_HOURS; anything else is refused
