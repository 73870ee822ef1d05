"""/alerts: show the screen, flip a toggle, type a threshold or quiet hours."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.exceptions import TelegramBadRequest
from aiogram.filters import Command, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from core.clock import NotifyClock, utc_now
from core.settings import Settings
from handlers.alerts.callbacks import AlertsAction, AlertsCallback
from handlers.alerts.parsing import MAX_THRESHOLD, format_minute, parse_quiet_hours, parse_threshold
from handlers.alerts.screen import screen_keyboard, screen_text
from handlers.common.filters import InLoop
from handlers.common.formatting import format_money
from handlers.common.i18n import Translator
from handlers.common.menu import ALERTS, menu_button
from storage import AlertSettings, Storage, User

router = Router(name="alerts.choices")

TOGGLES = {
    AlertsAction.MY_DISPATCHES: "my_dispatches",
    AlertsAction.ALL_DISPATCHES: "all_dispatches",
    AlertsAction.LOW_BALANCE: "low_balance",
    AlertsAction.NOT_ENOUGH_MONEY: "not_enough_money",
}


class AlertsInput(StatesGroup):
    threshold = State()
    quiet_hours = State()


def now_from(clock: NotifyClock | None) -> datetime:
    return clock.now() if clock is not None else utc_now()


async def _leave_input(state: FSMContext) -> None:
    if await state.get_state() in (AlertsInput.threshold.state, AlertsInput.quiet_hours.state):
        await state.clear()


async def _send_screen(
    message: Message, t: Translator, alerts: AlertSettings, settings: Settings, now: datetime
) -> None:
    await message.answer(
        screen_text(t, alerts, settings.timezone, now),
        reply_markup=screen_keyboard(t, alerts, now),
    )


async def _redraw(
    query: CallbackQuery, t: Translator, alerts: AlertSettings, settings: Settings, now: datetime
) -> None:
    text = screen_text(t, alerts, settings.timezone, now)
    keyboard = screen_keyboard(t, alerts, now)
    if not isinstance(query.message, Message):  # too old to edit: a fresh screen instead
        await query.bot.send_message(query.from_user.id, text, reply_markup=keyboard)  # type: ignore[union-attr]
        return
    try:
        await query.message.edit_text(text, reply_markup=keyboard)
    except TelegramBadRequest as error:
        if "message is not modified" not in error.message:
            raise


@router.message(Command("alerts"))
@router.message(menu_button(ALERTS))
async def show_alerts(
    message: Message,
    state: FSMContext,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    await _leave_input(state)
    alerts = await store.alerts.get_or_default(user.user_id)
    await _send_screen(message, t, alerts, settings, now_from(notify_clock))


@router.callback_query(AlertsCallback.filter(F.action.in_(set(TOGGLES))))
async def toggle(
    query: CallbackQuery,
    callback_data: AlertsCallback,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    await query.answer()
    field = TOGGLES[callback_data.action]
    current = await store.alerts.get_or_default(user.user_id)
    alerts = await store.alerts.update(user.user_id, **{field: not getattr(current, field)})
    await _redraw(query, t, alerts, settings, now_from(notify_clock))


@router.callback_query(AlertsCallback.filter(F.action == AlertsAction.QUIET_OFF))
async def quiet_off(
    query: CallbackQuery,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    await query.answer(t("alerts.saved"))
    alerts = await store.alerts.update(user.user_id, quiet_from=None, quiet_to=None)
    await _redraw(query, t, alerts, settings, now_from(notify_clock))


@router.callback_query(AlertsCallback.filter(F.action == AlertsAction.UNMUTE))
async def unmute(
    query: CallbackQuery,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    await query.answer(t("alerts.unmuted"))
    alerts = await store.alerts.update(user.user_id, muted_until=None)
    await _redraw(query, t, alerts, settings, now_from(notify_clock))


@router.callback_query(AlertsCallback.filter(F.action == AlertsAction.THRESHOLD))
async def ask_threshold(
    query: CallbackQuery, state: FSMContext, store: Storage, user: User, t: Translator
) -> None:
    await query.answer()
    alerts = await store.alerts.get_or_default(user.user_id)
    await state.set_state(AlertsInput.threshold)
    await query.bot.send_message(  # type: ignore[union-attr]
        user.user_id, t("alerts.ask_threshold", threshold=format_money(alerts.threshold))
    )


@router.callback_query(AlertsCallback.filter(F.action == AlertsAction.QUIET_HOURS))
async def ask_quiet_hours(
    query: CallbackQuery,
    state: FSMContext,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    await query.answer()
    await state.set_state(AlertsInput.quiet_hours)
    zone = now_from(notify_clock).astimezone(settings.timezone).tzname()
    await query.bot.send_message(user.user_id, t("alerts.ask_quiet", zone=zone))  # type: ignore[union-attr]


@router.message(StateFilter(AlertsInput.threshold), InLoop(F.text))
async def threshold_typed(
    message: Message,
    state: FSMContext,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    amount = parse_threshold(message.text or "")
    if amount is None:
        await message.answer(t("alerts.bad_threshold", max=format_money(MAX_THRESHOLD)))
        return
    alerts = await store.alerts.update(user.user_id, threshold=amount)
    await state.clear()
    await message.answer(t("alerts.threshold_saved", threshold=format_money(amount)))
    await _send_screen(message, t, alerts, settings, now_from(notify_clock))


@router.message(StateFilter(AlertsInput.quiet_hours), InLoop(F.text))
async def quiet_hours_typed(
    message: Message,
    state: FSMContext,
    store: Storage,
    user: User,
    settings: Settings,
    t: Translator,
    notify_clock: NotifyClock | None = None,
) -> None:
    span = parse_quiet_hours(message.text or "")
    if span is None:
        await message.answer(t("alerts.bad_quiet"))
        return
    start, end = span
    if start == end:
        await message.answer(t("alerts.same_quiet"))
        return
    alerts = await store.alerts.update(user.user_id, quiet_from=start, quiet_to=end)
    await state.clear()
    await message.answer(
        t("alerts.quiet_saved", start=format_minute(start), end=format_minute(end))
    )
    await _send_screen(message, t, alerts, settings, now_from(notify_clock))


@router.message(StateFilter(AlertsInput.threshold, AlertsInput.quiet_hours))
async def not_text(message: Message, t: Translator) -> None:
    # A sticker, a photo, a file: the question stays.
    await message.answer(t("alerts.input_hint"))
