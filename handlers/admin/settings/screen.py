"""What ``/settings`` shows: the price of one SMS part, the limits above which a
manager's send waits for approval, and the stop list's size, each with its button."""

from __future__ import annotations

from decimal import Decimal

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.approval_rules import REQUEST_LIFETIME
from core.send_settings import ApprovalLimits
from handlers.admin.settings.callbacks import Setting, SettingsAction, SettingsCallback
from handlers.common.i18n import Translator
from handlers.stoplist.callbacks import StopListAction, StopListCallback


def _count(t: Translator, value: int | None) -> str:
    return f"{value:,}".replace(",", "\u00a0") if value is not None else t("settings.no_limit")


def screen_text(t: Translator, price: Decimal | None, limits: ApprovalLimits, stopped: int) -> str:
    price_line = (
        t("settings.price", price=t.money(price)) if price is not None else t("settings.no_price")
    )
    cost = t.money(limits.cost) if limits.cost is not None else t("settings.no_limit")
    if limits.cost is not None and price is None:
        cost += " " + t("settings.cost_needs_price")
    hours = int(REQUEST_LIFETIME.total_seconds() // 3600)
    lines = [
        t("settings.title"),
        "",
        price_line,
        "",
        t("settings.approval_title"),
        t("settings.limit_recipients", value=_count(t, limits.recipients)),
        t("settings.limit_parts", value=_count(t, limits.parts)),
        t("settings.limit_cost", value=cost),
        t.plural("settings.approval_rule", hours),
        "",
        t.plural("settings.stop_list", stopped),
    ]
    return "\n".join(lines)


def screen_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for setting, label in (
        (Setting.PRICE, "settings.button_price"),
        (Setting.RECIPIENTS, "settings.button_recipients"),
        (Setting.PARTS, "settings.button_parts"),
        (Setting.COST, "settings.button_cost"),
    ):
        builder.button(
            text=t(label),
            callback_data=SettingsCallback(action=SettingsAction.ASK, setting=setting.value),
        )
    builder.button(
        text=t("settings.button_stop_list"),
        callback_data=StopListCallback(action=StopListAction.SHOW),
    )
    builder.adjust(1, 3, 1)
    return builder.as_markup()


def question_text(t: Translator, setting: Setting, current: str) -> str:
    return t(f"settings.ask_{setting.value}", current=current)


def question_keyboard(t: Translator, setting: Setting) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t(
            "settings.button_clear_price" if setting is Setting.PRICE else "settings.button_clear"
        ),
        callback_data=SettingsCallback(action=SettingsAction.CLEAR, setting=setting.value),
    )
    builder.button(
        text=t("settings.button_back"), callback_data=SettingsCallback(action=SettingsAction.SHOW)
    )
    builder.adjust(2)
    return builder.as_markup()
