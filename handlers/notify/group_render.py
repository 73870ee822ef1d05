"""What a group hears, worded: each alert alone, or as a line of one message that gathers
several (``group_feed.py``).

A group may hold people who are not users of the bot, so a group's alert carries no
phone number, no SMS text, no recipients' description and no comment (any of those may
hold numbers or a client's words): only the dispatch's number, what happened to it, its
counts and when it went. Whoever may act on it sees the rest in their private chat. The
texts are HTML-safe (only numbers, money, dates and status names go in) and far below
4096 characters; a digest is cut to size by the feed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import Balance, Dispatch, DispatchStatus
from handlers.common.formatting import format_moment
from handlers.common.i18n import Translator
from handlers.common.status import status_label
from handlers.groups.callbacks import GroupRerunCallback


@dataclass(frozen=True)
class GroupAlert:
    """One alert for a group: how it reads alone, and as one line among several."""

    text: str  # HTML: the message when it goes alone
    line: str  # HTML: its line in a digest
    rerun: int | None = None  # the dispatch its Re-run button is for
    order: tuple[int, int] = (0, 0)  # its place in a digest: what kind, then which dispatch


# A digest reads service news first, then the money, then stops, then results by number.
_SERVICE, _BALANCE, _STOP, _RESULT = range(4)


def final_state(t: Translator, dispatch: Dispatch, tz: ZoneInfo) -> GroupAlert:
    values = {
        "id": dispatch.id,
        "count": _count(dispatch.messages_count),
        "sent": _count(dispatch.messages_sent),
        "delivered": _count(dispatch.messages_delivered),
    }
    if dispatch.status is DispatchStatus.CLOSED:
        kind = "closed"
    elif dispatch.status is DispatchStatus.CANCELED:
        kind = "canceled"
    else:
        kind, values = "other", {"id": dispatch.id, "status": status_label(t, dispatch.status_raw)}
    text = "\n".join(
        [
            t(f"group_alerts.final_{kind}", **values),
            t("group_alerts.sent_at", date=format_moment(dispatch.date_send, tz)),
        ]
    )
    line = t(f"group_alerts.line_{kind}", **values)
    return GroupAlert(text, line, order=(_RESULT, dispatch.id))


def not_enough_money(t: Translator, dispatch: Dispatch, available: Decimal | None) -> GroupAlert:
    lines = [t("group_alerts.nem_title", id=dispatch.id)]
    if available is not None:
        lines.append(t("group_alerts.nem_available", available=t.money(available)))
    lines.append(t("group_alerts.nem_hint"))
    line = t("group_alerts.line_nem", id=dispatch.id)
    return GroupAlert("\n".join(lines), line, rerun=dispatch.id, order=(_STOP, dispatch.id))


def low_balance(t: Translator, balance: Balance, today: date, threshold: Decimal) -> GroupAlert:
    available, limit = t.money(balance.available(today)), t.money(threshold)
    text = "\n".join(
        [
            t("group_alerts.low_title"),
            t("group_alerts.low_amount", available=available, threshold=limit),
        ]
    )
    line = t("group_alerts.line_low", available=available, threshold=limit)
    return GroupAlert(text, line, order=(_BALANCE, 0))


def api_down(t: Translator, since: datetime, tz: ZoneInfo) -> GroupAlert:
    # Not why (a rejected token is the admins' business), only since when.
    moment = format_moment(since, tz)
    line = t("group_alerts.line_down", since=moment)
    return GroupAlert(t("group_alerts.down", since=moment), line, order=(_SERVICE, 0))


def api_back(t: Translator, since: datetime, until: datetime, tz: ZoneInfo) -> GroupAlert:
    start, end = format_moment(since, tz), format_moment(until, tz)
    line = t("group_alerts.line_back", since=start)
    return GroupAlert(t("group_alerts.back", since=start, until=end), line, order=(_SERVICE, 1))


def digest_text(t: Translator, alerts: list[GroupAlert]) -> str:
    """Several alerts as one message: a count, then a line each, in reading order."""
    lines = [alert.line for alert in _in_order(alerts)]
    return "\n".join([t.plural("group_alerts.digest_title", len(alerts)), *lines])


def rerun_keyboard(t: Translator, alerts: list[GroupAlert]) -> InlineKeyboardMarkup | None:
    """A Re-run button for each stopped dispatch among ``alerts``; None if there is none."""
    stopped = [alert.rerun for alert in _in_order(alerts) if alert.rerun is not None]
    if not stopped:
        return None
    builder = InlineKeyboardBuilder()
    for dispatch_id in stopped:
        builder.button(
            text=t("group_alerts.button_rerun", id=dispatch_id),
            callback_data=GroupRerunCallback(dispatch_id=dispatch_id),
        )
    builder.adjust(2)
    return builder.as_markup()


def _in_order(alerts: list[GroupAlert]) -> list[GroupAlert]:
    return sorted(alerts, key=lambda alert: alert.order)


def _count(value: int | None) -> str:
    return "—" if value is None else str(value)
