"""Buttons of an approval request: two letters of prefix, the request's number and a
reason's code of two letters, far below Telegram's 64 bytes."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData


class ApprovalAction(StrEnum):
    APPROVE = "a"
    REJECT = "r"  # shows the reasons
    REASON = "x"  # rejects, with ``reason``
    BACK = "b"  # from the reasons back to the request


class RejectReason(StrEnum):
    RECIPIENTS = "rc"  # too many recipients
    TEXT = "tx"  # the text needs another look
    TIME = "tm"  # not the right time
    BUDGET = "bd"  # no money for it now
    NONE = "no"  # no reason given


class ApprovalCallback(CallbackData, prefix="ap"):
    action: ApprovalAction
    request: int
    reason: str = ""  # a RejectReason's value, for REASON
