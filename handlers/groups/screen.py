"""A group's /alerts screen: what the group hears, each kind a button."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.formatting import esc, shorten
from handlers.common.i18n import Translator
from handlers.common.replies import Screen
from handlers.groups.callbacks import GroupAlertsAction, GroupAlertsCallback
from storage import GroupAlerts

TITLE_SHOWN = 64  # the group's title is the members' text: escaped and cut
# Which kind each toggle flips (fields of storage.GroupAlerts).
TOGGLES = {
    GroupAlertsAction.FINAL_STATES: "final_states",
    GroupAlertsAction.NOT_ENOUGH_MONEY: "not_enough_money",
    GroupAlertsAction.LOW_BALANCE: "low_balance",
    GroupAlertsAction.OUTAGES: "outages",
}


def _mark(t: Translator, on: bool) -> str:
    return t("alerts.mark_on" if on else "alerts.mark_off")


def group_screen(t: Translator, alerts: GroupAlerts, title: str | None) -> Screen:
    threshold = t.money(alerts.threshold)
    text = "\n".join(
        [
            t("group_alerts.title", title=esc(shorten(title or "—", TITLE_SHOWN))),
            "",
            t("group_alerts.final_states", mark=_mark(t, alerts.final_states)),
            t("group_alerts.not_enough_money", mark=_mark(t, alerts.not_enough_money)),
            t(
                "group_alerts.low_balance",
                mark=_mark(t, alerts.low_balance),
                threshold=threshold,
            ),
            t("group_alerts.outages", mark=_mark(t, alerts.outages)),
            "",
            t("group_alerts.privacy"),
            t("group_alerts.who"),
        ]
    )
    return Screen(text, _keyboard(t, alerts))


def _keyboard(t: Translator, alerts: GroupAlerts) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()

    def add(text: str, action: GroupAlertsAction) -> None:
        builder.button(text=text, callback_data=GroupAlertsCallback(action=action))

    add(
        t("group_alerts.button_final", mark=_mark(t, alerts.final_states)),
        GroupAlertsAction.FINAL_STATES,
    )
    add(
        t("group_alerts.button_nem", mark=_mark(t, alerts.not_enough_money)),
        GroupAlertsAction.NOT_ENOUGH_MONEY,
    )
    add(
        t("group_alerts.button_low", mark=_mark(t, alerts.low_balance)),
        GroupAlertsAction.LOW_BALANCE,
    )
    add(
        t("group_alerts.button_threshold", threshold=t.money(alerts.threshold)),
        GroupAlertsAction.THRESHOLD,
    )
    add(t("group_alerts.button_outages", mark=_mark(t, alerts.outages)), GroupAlertsAction.OUTAGES)
    builder.adjust(2, 2, 1)
    return builder.as_markup()
