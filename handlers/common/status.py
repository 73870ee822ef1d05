"""A dispatch status in words, with its emoji."""

from __future__ import annotations

from core.sms import DispatchStatus
from handlers.common.formatting import esc, shorten
from handlers.common.i18n import Translator

RAW_STATUS_SHOWN = 40

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
    """``🕓 In the queue``, HTML-safe; a status the API adds later is shown by its raw
    name (escaped, and cut: it comes from the server)."""
    known = DispatchStatus(status)
    if known is DispatchStatus.UNKNOWN and str(status) != DispatchStatus.UNKNOWN:
        return f"{EMOJI[known]} {esc(shorten(str(status), RAW_STATUS_SHOWN))}"
    return f"{EMOJI[known]} {t(f'status.{known.value}')}"
