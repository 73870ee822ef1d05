"""/alerts: show the screen, flip a toggle, type a threshold or quiet hours."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from core.reports import done_week_on_enabling
from handlers.alerts.callbacks import AlertsAction, AlertsCallback
from handlers.alerts.parsing import MAX_THRESHOLD, format_minute, parse_quiet_hours, parse_threshold
from handlers.alerts.screen import screen_keyboard, screen_text
from handlers.common.context import Context
from handlers.common.replies import Screen, answer, show
from storage import AlertSettings, Role

TOGGLES = {
    AlertsAction.MY_DISPATCHES: "my_dispatches",
    AlertsAction.ALL_DISPATCHES: "all_dispatches",
    AlertsAction.LOW_BALANCE: "low_balance",
    AlertsAction.NOT_ENOUGH_MONEY: "not_enough_money",
}


class AlertsInput(StatesGroup):
    threshold = State()
    quiet_hours = State()


async def alerts_screen(ctx: Context, alerts: AlertSettings) -> Screen:
    now = ctx.now()
    # The weekly digest is the admins' alone.
    digest = await ctx.store.digests.is_enabled(ctx.user_id) if ctx.role is Role.ADMIN else None
    return Screen(
        screen_text(ctx.t, alerts, ctx.tz, now, digest),
        screen_keyboard(ctx.t, alerts, now, digest),
    )


async def _send_screen(message: Message, ctx: Context, alerts: AlertSettings) -> None:
    screen = await alerts_screen(ctx, alerts)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def _leave_input(state: FSMContext) -> None:
    if await state.get_state() in (AlertsInput.threshold.state, AlertsInput.quiet_hours.state):
        await state.clear()


async def show_alerts(message: Message, state: FSMContext, ctx: Context) -> None:
    await _leave_input(state)
    await _send_screen(message, ctx, await ctx.store.alerts.get_or_default(ctx.user_id))


async def toggle(query: CallbackQuery, callback_data: AlertsCallback, ctx: Context) -> None:
    await answer(query)
    field = TOGGLES[callback_data.action]
    current = await ctx.store.alerts.get_or_default(ctx.user_id)
    alerts = await ctx.store.alerts.update(ctx.user_id, **{field: not getattr(current, field)})
    await show(query, ctx, await alerts_screen(ctx, alerts))


async def toggle_digest(query: CallbackQuery, ctx: Context) -> None:
    await answer(query)
    enabled = not await ctx.store.digests.is_enabled(ctx.user_id)
    # Switched on after this Monday's 09:00: the first digest is next Monday's.
    done = done_week_on_enabling(ctx.now(), ctx.tz) if enabled else None
    await ctx.store.digests.set_enabled(ctx.user_id, enabled, done_week=done)
    alerts = await ctx.store.alerts.get_or_default(ctx.user_id)
    await show(query, ctx, await alerts_screen(ctx, alerts))


async def quiet_off(query: CallbackQuery, ctx: Context) -> None:
    await answer(query, ctx.t("alerts.saved"))
    alerts = await ctx.store.alerts.update(ctx.user_id, quiet_from=None, quiet_to=None)
    await show(query, ctx, await alerts_screen(ctx, alerts))


async def unmute(query: CallbackQuery, ctx: Context) -> None:
    await answer(query, ctx.t("alerts.unmuted"))
    alerts = await ctx.store.alerts.update(ctx.user_id, muted_until=None)
    await show(query, ctx, await alerts_screen(ctx, alerts))


async def ask_threshold(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await answer(query)
    alerts = await ctx.store.alerts.get_or_default(ctx.user_id)
    await state.set_state(AlertsInput.threshold)
    await ctx.bot.send_message(
        ctx.chat_id, ctx.t("alerts.ask_threshold", threshold=ctx.t.money(alerts.threshold))
    )


async def ask_quiet_hours(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await answer(query)
    await state.set_state(AlertsInput.quiet_hours)
    zone = ctx.now().astimezone(ctx.tz).tzname()
    await ctx.bot.send_message(ctx.chat_id, ctx.t("alerts.ask_quiet", zone=zone))


async def threshold_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    amount = parse_threshold(message.text or "")
    if amount is None:
        await message.answer(ctx.t("alerts.bad_threshold", max=ctx.t.money(MAX_THRESHOLD)))
        return
    alerts = await ctx.store.alerts.update(ctx.user_id, threshold=amount)
    await state.clear()
    await message.answer(ctx.t("alerts.threshold_saved", threshold=ctx.t.money(amount)))
    await _send_screen(message, ctx, alerts)


async def quiet_hours_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    span = parse_quiet_hours(message.text or "")
    if span is None:
        await message.answer(ctx.t("alerts.bad_quiet"))
        return
    start, end = span
    if start == end:
        await message.answer(ctx.t("alerts.same_quiet"))
        return
    alerts = await ctx.store.alerts.update(ctx.user_id, quiet_from=start, quiet_to=end)
    await state.clear()
    await message.answer(
        ctx.t("alerts.quiet_saved", start=format_minute(start), end=format_minute(end))
    )
    await _send_screen(message, ctx, alerts)


async def not_text(message: Message, ctx: Context) -> None:
    # A sticker, a photo, a file: the question stays.
    await message.answer(ctx.t("alerts.input_hint"))
