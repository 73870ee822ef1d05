"""A dispatch card: what ``/status``, a new dispatch and a status notification show.

Rendering only: the text (HTML, escaped, bounded) and the buttons that the status and the
role allow. Handlers still re-check both when a button is tapped.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup

from core.sms import Dispatch, DispatchStatus
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.formatting import esc, format_moment, quote_block
from handlers.common.i18n import Translator
from handlers.common.keyboard import InlineKeyboardBuilder
from handlers.common.roles import CAN_SEND
from handlers.common.status import status_label
from storage import Role

CANCELLABLE = frozenset(
    {DispatchStatus.IN_QUEUE, DispatchStatus.NOT_ENOUGH_MONEY, DispatchStatus.ACTIVE}
)
RUNNABLE = frozenset({DispatchStatus.CANCELED, DispatchStatus.NOT_ENOUGH_MONEY})
TEXT_PREVIEW = 1500  # the card stays far below 4096 characters whatever the text


def card_text(
    t: Translator, dispatch: Dispatch, tz: ZoneInfo, recipients: str | None = None
) -> str:
    lines = [
        t("card.title", id=dispatch.id),
        t("card.status", status=status_label(t, dispatch.status_raw)),
        t("card.date_send", date=format_moment(dispatch.date_send, tz)),
        t("card.date_to_close", date=format_moment(dispatch.date_to_close, tz)),
        t(
            "card.counts",
            count=_count(dispatch.messages_count),
            sent=_count(dispatch.messages_sent),
            delivered=_count(dispatch.messages_delivered),
        ),
    ]
    if recipients:
        lines.append(t("card.recipients", recipients=esc(recipients)))
    lines.append(t("card.source", source=esc(dispatch.dispatch_source or "—")))
    if dispatch.comment:
        lines.append(t("card.comment", comment=esc(dispatch.comment[:300])))
    # A dispatch made in the web interface may come without its text.
    lines.append(quote_block(dispatch.text or "—", TEXT_PREVIEW))
    return "\n".join(lines)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)


def card_keyboard(
    t: Translator,
    dispatch: Dispatch,
    role: Role | None,
    *,
    following: bool,
    can_repeat: bool,
    may_change: bool | None = None,
) -> InlineKeyboardMarkup:
    """``may_change``: whether this user may cancel and re-run this dispatch (the creator,
    an admin, or a manager an admin allowed); by default whoever may send, as for the
    creator just after the send."""
    builder = InlineKeyboardBuilder()

    def add(label: str, action: CardAction) -> None:
        builder.button(
            text=t(f"card.button_{label}"),
            callback_data=CardCallback(action=action, dispatch_id=dispatch.id),
        )

    add("refresh", CardAction.REFRESH)
    if may_change is None:
        may_change = role in CAN_SEND
    if may_change:
        if dispatch.status in CANCELLABLE:
            add("cancel", CardAction.CANCEL)
        if dispatch.status in RUNNABLE:
            add("run", CardAction.RUN)
    if role in CAN_SEND and can_repeat:
        add("repeat", CardAction.REPEAT)
    if not dispatch.is_final:
        add(
            "unfollow" if following else "follow",
            CardAction.UNFOLLOW if following else CardAction.FOLLOW,
        )
    builder.adjust(2)
    return builder.as_markup()
