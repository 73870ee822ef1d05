"""What notifications say and which buttons they carry. Rendering only: HTML-safe text
(server text escaped by the card and here), always far below 4096 characters."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import Balance, Dispatch, DispatchStatus, FormatProblem
from handlers.common.callbacks import MUTE_HOURS, CardAction, CardCallback, MuteCallback
from handlers.common.card import card_keyboard, card_text
from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.i18n import Translator
from handlers.common.roles import CAN_SEND
from handlers.common.status import status_label
from storage import LostCreate, Role, TrackedDispatch

DAY_FORMAT = "%d.%m.%Y"
# The first mute button says what it mutes; the others, beside each other, say for how long.
MUTE_ROWS = (1, len(MUTE_HOURS) - 1)


def live_card(
    t: Translator,
    dispatch: Dispatch,
    recipients: str | None,
    role: Role | None,
    tz: ZoneInfo,
    *,
    made_here: bool,
    notice: str | None = None,
) -> tuple[str, InlineKeyboardMarkup]:
    """The message that follows a dispatch: its card, edited as it moves, with the buttons
    the status and the role allow (the same whoever edits it: the poller or a tap)."""
    text = card_text(t, dispatch, tz, recipients or None)
    if notice:
        text = f"{notice}\n\n{text}"
    if not dispatch.is_final:
        text += f"\n\n{t('notify.live_footer')}"
    return text, card_keyboard(t, dispatch, role, following=True, can_repeat=made_here)


def status_message(
    t: Translator, dispatch: Dispatch, tracked: TrackedDispatch, role: Role, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    made_here = tracked.creator_id is not None
    return live_card(t, dispatch, tracked.recipients_desc, role, tz, made_here=made_here)


def final_message(
    t: Translator,
    dispatch: Dispatch,
    tracked: TrackedDispatch,
    tz: ZoneInfo,
    *,
    with_card: bool,
) -> str:
    """The new message at a final state; with the whole card when no status message
    above already shows it."""
    count = _count(dispatch.messages_count)
    if dispatch.status is DispatchStatus.CLOSED:
        line = t(
            "notify.final_closed",
            id=dispatch.id,
            delivered=_count(dispatch.messages_delivered),
            count=count,
        )
    elif dispatch.status is DispatchStatus.CANCELED:
        line = t(
            "notify.final_canceled",
            id=dispatch.id,
            sent=_count(dispatch.messages_sent),
            count=count,
        )
    else:
        line = t("notify.final_other", id=dispatch.id, status=status_label(t, dispatch.status_raw))
    if not with_card:
        return line
    return f"{line}\n\n{card_text(t, dispatch, tz, tracked.recipients_desc or None)}"


def not_enough_money_alert(
    t: Translator, dispatch: Dispatch, role: Role, available: Decimal | None
) -> tuple[str, InlineKeyboardMarkup]:
    lines = [t("notify.nem_title", id=dispatch.id)]
    if available is not None:
        lines.append(t("notify.nem_available", available=t.money(available)))
    may_run = role in CAN_SEND
    lines.append(t("notify.nem_hint_rerun" if may_run else "notify.nem_hint_read_only"))
    builder = InlineKeyboardBuilder()
    if may_run:
        # The dispatch feature handles it, asking for confirmation first.
        builder.button(
            text=t("card.button_run"),
            callback_data=CardCallback(action=CardAction.RUN, dispatch_id=dispatch.id),
        )
    _mute_buttons(builder, t)
    builder.adjust(*((1,) if may_run else ()), *MUTE_ROWS)
    return "\n".join(lines), builder.as_markup()


def low_balance_alert(
    t: Translator, balance: Balance, today: date, threshold: Decimal
) -> tuple[str, InlineKeyboardMarkup]:
    available = balance.available(today)
    credit = balance.credit_limit
    if credit is not None and credit.limit is not None and credit.is_active(today):
        if credit.date_end is not None:
            rule = t(
                "notify.low_rule_credit",
                balance=t.money(balance.balance),
                credit=t.money(credit.limit),
                until=credit.date_end.strftime(DAY_FORMAT),
            )
        else:
            rule = t(
                "notify.low_rule_credit_open",
                balance=t.money(balance.balance),
                credit=t.money(credit.limit),
            )
    else:
        rule = t("notify.low_rule_no_credit", balance=t.money(balance.balance))
    text = "\n".join(
        [
            t("notify.low_title"),
            t(
                "notify.low_amount",
                available=t.money(available),
                threshold=t.money(threshold),
            ),
            rule,
            "",
            t("notify.low_once", threshold=t.money(threshold)),
        ]
    )
    return text, mute_keyboard(t)


def api_down_alert(
    t: Translator, since: datetime, failed_cycles: int, token_rejected: bool, tz: ZoneInfo
) -> str:
    moment = format_moment(since, tz)
    if token_rejected:
        reason = t("notify.api_down_token", since=moment)
    else:
        reason = t.plural("notify.api_down_unavailable", failed_cycles, since=moment)
    return "\n".join([t("notify.api_down_title"), reason, t("notify.api_down_wait")])


def api_back_message(t: Translator, since: datetime, until: datetime, tz: ZoneInfo) -> str:
    return t("notify.api_back", since=format_moment(since, tz), until=format_moment(until, tz))


def format_problem_alert(t: Translator, problem: FormatProblem) -> str:
    return t(
        "sms_errors.admin_format",
        endpoint=esc(problem.endpoint),
        field=esc(shorten(problem.field, 80)),
        expected=esc(shorten(problem.expected, 200)),
        got=esc(shorten(problem.got, 200)),
    )


def lost_create_found(
    t: Translator, lost: LostCreate, dispatch_id: int, tz: ZoneInfo
) -> tuple[str, InlineKeyboardMarkup]:
    text = t("notify.lost_found", id=dispatch_id, moment=format_moment(lost.posted_at, tz))
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("card.button_follow"),
        callback_data=CardCallback(action=CardAction.FOLLOW, dispatch_id=dispatch_id),
    )
    return text, builder.as_markup()


def lost_create_not_found(t: Translator, lost: LostCreate, tz: ZoneInfo) -> str:
    return t("notify.lost_not_found", moment=format_moment(lost.posted_at, tz))


def mute_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    _mute_buttons(builder, t)
    builder.adjust(*MUTE_ROWS)
    return builder.as_markup()


def _mute_buttons(builder: InlineKeyboardBuilder, t: Translator) -> None:
    for hours in MUTE_HOURS:
        builder.button(
            text=t(f"notify.button_mute_{hours}"), callback_data=MuteCallback(hours=hours)
        )


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)
