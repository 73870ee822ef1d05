"""A dispatch status in words, with its emoji."""

from __future__ import annotations

from core.sms import DispatchStatus
from handlers.common.i18n import Translator

EMOJI = {
    DispatchStatus.IN_QUEUE: "🕓",
    DispatchStatus.TARIFFING: "🧮",
    DispatchStatus.NOT_ENOUGH_MONEY: "💸",
    DispatchStatus.ACTIVE: "📤",
    DispatchStatus.DELIVERING: "📬",
    DispatchStatus.CLOSED: "✅",
    DispatchStatus.CANCELED: "🚫",
    DispatchStatus.UNKNOWN: "❔",
}


def status_label(t: Translator, status: DispatchStatus | str) -> str:
    """``🕓 In the queue``; a status the API adds later is shown by its raw name."""
    known = DispatchStatus(status)
    if known is DispatchStatus.UNKNOWN and str(status) != DispatchStatus.UNKNOWN:
        return f"{EMOJI[known]} {status}"
    return f"{EMOJI[known]} {t(f'status.{known.value}')}"
