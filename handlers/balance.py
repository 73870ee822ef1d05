"""``/balance``: every field the API gives, and what can be spent now."""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

from aiogram import Bot, Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.settings import Settings
from core.sms import Balance, SmsApiClient, SmsApiError
from handlers.common.formatting import format_money
from handlers.common.i18n import Translator
from handlers.common.menu import BALANCE, menu_button
from handlers.common.roles import can_read
from handlers.dispatches.failures import as_alert, explain_failure, within_tap_budget
from handlers.dispatches.screens import Screen, edit_in_place, tapped_message
from storage import Storage

router = Router(name="balance")
router.message.filter(can_read)
router.callback_query.filter(can_read)

DAY_FORMAT = "%d.%m.%Y"


class BalanceRefresh(CallbackData, prefix="br"):
    pass


@router.message(Command("balance"))
@router.message(menu_button(BALANCE))
async def show_balance(
    message: Message,
    t: Translator,
    sms: SmsApiClient,
    store: Storage,
    settings: Settings,
    bot: Bot,
    demo_mode: bool = False,
) -> None:
    try:
        balance = await sms.balance()
    except SmsApiError as error:
        await message.answer(
            await explain_failure(error, t, bot=bot, store=store, settings=settings)
        )
        return
    screen = balance_screen(
        t, balance, _today(settings.timezone), settings.SMS_API_TIMEZONE, demo=demo_mode
    )
    await message.answer(screen.text, reply_markup=screen.keyboard)


@router.callback_query(BalanceRefresh.filter())
async def refresh_balance(
    query: CallbackQuery,
    t: Translator,
    sms: SmsApiClient,
    store: Storage,
    settings: Settings,
    bot: Bot,
    demo_mode: bool = False,
) -> None:
    try:
        balance = await within_tap_budget(sms.balance())
    except (SmsApiError, TimeoutError) as error:
        text = await explain_failure(error, t, bot=bot, store=store, settings=settings)
        await query.answer(as_alert(text), show_alert=True)
        return
    screen = balance_screen(
        t, balance, _today(settings.timezone), settings.SMS_API_TIMEZONE, demo=demo_mode
    )
    message = tapped_message(query)
    if message is None:
        await query.answer()
        await bot.send_message(query.from_user.id, screen.text, reply_markup=screen.keyboard)
        return
    edited = await edit_in_place(message, screen)
    await query.answer(None if edited else t("balance.no_changes"))


def balance_screen(
    t: Translator, balance: Balance, today: date, zone: str, *, demo: bool = False
) -> Screen:
    # In demo mode the money is the embedded emulator's: say so on every balance screen.
    banner = [t("demo.balance_banner"), ""] if demo else []
    lines = [
        *banner,
        t("balance.title"),
        "",
        t("balance.balance", amount=format_money(balance.balance)),
        t("balance.beginning", amount=format_money(balance.beginning_period_balance)),
        t("balance.limit", amount=format_money(balance.limit)),
        t("balance.payments", amount=format_money(balance.current_payments)),
        t("balance.fees", amount=format_money(balance.current_fees)),
        _credit_line(t, balance, today),
        "",
        t("balance.available", amount=format_money(balance.available(today))),
        t("balance.rule", today=today.strftime(DAY_FORMAT), zone=zone),
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
        amount=format_money(credit.limit),
        start=_day(t, credit.date_start),
        end=_day(t, credit.date_end),
        state=t(state),
    )


def _day(t: Translator, day: date | None) -> str:
    return day.strftime(DAY_FORMAT) if day else t("balance.open_date")


def _today(tz: ZoneInfo) -> date:
    return datetime.now(tz).date()
