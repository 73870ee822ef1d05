"""The /alerts screen: every setting on one message, each a button."""

from __future__ import annotations

from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.alerts.callbacks import AlertsAction, AlertsCallback
from handlers.alerts.parsing import format_minute
from handlers.common.formatting import format_moment
from handlers.common.i18n import Translator
from storage import AlertSettings


def _mark(t: Translator, on: bool) -> str:
    return t("alerts.mark_on" if on else "alerts.mark_off")


def screen_text(
    t: Translator, alerts: AlertSettings, tz: ZoneInfo, now: datetime, digest: bool | None = None
) -> str:
    """``digest``: whether an admin asked for the weekly digest; None: not an admin."""
    threshold = t.money(alerts.threshold)
    lines = [
        t("alerts.title"),
        "",
        t("alerts.my_dispatches", mark=_mark(t, alerts.my_dispatches)),
        t("alerts.all_dispatches", mark=_mark(t, alerts.all_dispatches)),
        t("alerts.low_balance", mark=_mark(t, alerts.low_balance), threshold=threshold),
        t("alerts.not_enough_money", mark=_mark(t, alerts.not_enough_money)),
    ]
    if alerts.quiet_from is not None and alerts.quiet_to is not None:
        lines.append(
            t(
                "alerts.quiet_on",
                start=format_minute(alerts.quiet_from),
                end=format_minute(alerts.quiet_to),
                zone=now.astimezone(tz).tzname(),
            )
        )
    else:
        lines.append(t("alerts.quiet_off"))
    if alerts.muted_until is not None and alerts.muted_until > now:
        lines.append(t("alerts.muted", until=format_moment(alerts.muted_until, tz)))
    if digest is not None:
        zone = now.astimezone(tz).tzname()
        lines.append(t("reports.alerts_digest", mark=_mark(t, digest), zone=zone))
    lines += ["", t("alerts.rule")]
    return "\n".join(lines)


def screen_keyboard(
    t: Translator, alerts: AlertSettings, now: datetime, digest: bool | None = None
) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def add(text: str, action: AlertsAction) -> None:
        builder.button(text=text, callback_data=AlertsCallback(action=action))

    add(t("alerts.button_my", mark=_mark(t, alerts.my_dispatches)), AlertsAction.MY_DISPATCHES)
    add(t("alerts.button_all", mark=_mark(t, alerts.all_dispatches)), AlertsAction.ALL_DISPATCHES)
    add(t("alerts.button_low", mark=_mark(t, alerts.low_balance)), AlertsAction.LOW_BALANCE)
    add(
        t("alerts.button_threshold", threshold=t.money(alerts.threshold)),
        AlertsAction.THRESHOLD,
    )
    add(
        t("alerts.button_nem", mark=_mark(t, alerts.not_enough_money)),
        AlertsAction.NOT_ENOUGH_MONEY,
    )
    sizes = [2, 2, 1, 1]
    if digest is not None:
        add(t("reports.button_digest", mark=_mark(t, digest)), AlertsAction.WEEKLY_DIGEST)
        sizes.insert(-1, 1)
    add(t("alerts.button_quiet"), AlertsAction.QUIET_HOURS)
    if alerts.quiet_from is not None:
        add(t("alerts.button_quiet_off"), AlertsAction.QUIET_OFF)
        sizes[-1] = 2
    if alerts.muted_until is not None and alerts.muted_until > now:
        add(t("alerts.button_unmute"), AlertsAction.UNMUTE)
        sizes.append(1)
    builder.adjust(*sizes)
    return builder.as_markup()
