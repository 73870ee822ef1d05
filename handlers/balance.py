"""``/balance``: every field the API gives, and what can be spent now."""

from __future__ import annotations

from datetime import date

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import Balance, SmsApiError
from handlers.common.context import Context
from handlers.common.formatting import zone_label
from handlers.common.i18n import Translator
from handlers.common.menu import BALANCE, menu_button
from handlers.common.replies import Screen, answer, explain_failure, show, within_tap_budget
from handlers.common.roles import can_read

DAY_FORMAT = "%d.%m.%Y"


class BalanceRefresh(CallbackData, prefix="br"):
    pass


async def show_balance(message: Message, ctx: Context) -> None:
    try:
        balance = await ctx.sms.balance()
    except SmsApiError as error:
        await message.answer(await explain_failure(ctx, error))
        return
    screen = balance_screen(ctx, balance)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def refresh_balance(query: CallbackQuery, ctx: Context) -> None:
    try:
        balance = await within_tap_budget(ctx.sms.balance())
    except SmsApiError as error:
        await answer(query, await explain_failure(ctx, error), alert=True)
        return
    screen = balance_screen(ctx, balance)
    shown = await show(query, ctx, screen)
    await answer(query, None if shown else ctx.t("balance.no_changes"))


def build_router() -> Router:
    router = Router(name="balance")
    router.message.filter(can_read)
    router.callback_query.filter(can_read)
    router.message.register(show_balance, Command("balance"))
    router.message.register(show_balance, menu_button(BALANCE))
    router.callback_query.register(refresh_balance, BalanceRefresh.filter())
    return router


def balance_screen(ctx: Context, balance: Balance) -> Screen:
    t, today = ctx.t, ctx.now().astimezone(ctx.tz).date()
    # In demo mode the money is the embedded emulator's: say so on every balance screen.
    banner = [t("demo.balance_banner"), ""] if ctx.demo else []
    lines = [
        *banner,
        t("balance.title"),
        "",
        t("balance.balance", amount=t.money(balance.balance)),
        t("balance.beginning", amount=t.money(balance.beginning_period_balance)),
        t("balance.limit", amount=t.money(balance.limit)),
        t("balance.payments", amount=t.money(balance.current_payments)),
        t("balance.fees", amount=t.money(balance.current_fees)),
        _credit_line(t, balance, today),
        "",
        t("balance.available", amount=t.money(balance.available(today))),
        t(
            "balance.rule",
            today=today.strftime(DAY_FORMAT),
            zone=zone_label(ctx.settings.timezone, ctx.now()),
        ),
    ]
    keyboard = InlineKeyboardBuilder()
    keyboard.button(text=t("balance.button_refresh"), callback_data=BalanceRefresh())
    return Screen("\n".join(lines), keyboard.as_markup())


def _credit_line(t: Translator, balance: Balance, today: date) -> str:
    credit = balance.credit_limit
    if credit is None or credit.limit is None:
        return t("balance.credit_none")
    state = "balance.credit_in_force" if credit.is_active(today) else "balance.credit_not_in_force"
    return t(
        "balance.credit",
        amount=t.money(credit.limit),
        start=_day(t, credit.date_start),
        end=_day(t, credit.date_end),
        state=t(state),
    )


def _day(t: Translator, day: date | None) -> str:
    return day.strftime(DAY_FORMAT) if day else t("balance.open_date")
