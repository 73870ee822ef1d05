"""``/settings``: the screen, a setting asked and typed in, a setting cleared. Every change
is in the audit log (the old and the new value: prices and limits are no one's secret)."""

from __future__ import annotations

from decimal import Decimal

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import CallbackQuery, Message

from core.send_settings import Limit, read_limits, read_price, write_limit, write_price
from handlers.admin.settings.callbacks import Setting, SettingsCallback
from handlers.admin.settings.parsing import (
    MAX_AMOUNT,
    MAX_COUNT,
    MAX_PRICE,
    PRICE_DECIMALS,
    Clear,
    Problem,
    parse_amount,
    parse_count,
    parse_price,
)
from handlers.admin.settings.screen import (
    question_keyboard,
    question_text,
    screen_keyboard,
    screen_text,
)
from handlers.common.context import Context
from handlers.common.formatting import esc, shorten
from handlers.common.replies import Screen, answer, edit_quietly, show, tapped_message
from handlers.start.conversation import step_out

AUDIT_PRICE = "settings.price"
AUDIT_LIMIT = "settings.approval_limit"
SETTING_KEY = "settings_setting"  # the FSM data key: which setting is being typed
TYPED_SHOWN = 40
LIMITS = {
    Setting.RECIPIENTS: Limit.RECIPIENTS,
    Setting.PARTS: Limit.PARTS,
    Setting.COST: Limit.COST,
}
SETTINGS = {setting.value: setting for setting in Setting}
PARSERS = {
    Setting.PRICE: parse_price,
    Setting.RECIPIENTS: parse_count,
    Setting.PARTS: parse_count,
    Setting.COST: parse_amount,
}


class SettingsInput(StatesGroup):
    value = State()


async def settings_screen(ctx: Context) -> Screen:
    price = await read_price(ctx.store)
    limits = await read_limits(ctx.store)
    stopped = await ctx.store.stop_list.count()
    return Screen(screen_text(ctx.t, price, limits, stopped), screen_keyboard(ctx.t))


async def show_settings(message: Message, state: FSMContext, ctx: Context) -> None:
    await _leave_input(state)
    screen = await settings_screen(ctx)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def screen_tapped(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await _leave_input(state)
    await answer(query)
    await show(query, ctx, await settings_screen(ctx))


async def ask_tapped(
    query: CallbackQuery, callback_data: SettingsCallback, state: FSMContext, ctx: Context
) -> None:
    setting = SETTINGS.get(callback_data.setting)
    if setting is None:
        return await answer(query, ctx.t("settings.stale_button"), alert=True)
    await answer(query)
    await step_out(state)  # a send draft waits, to be offered back by /send
    await state.set_state(SettingsInput.value)
    await state.update_data({SETTING_KEY: setting.value})
    current = await _current(ctx, setting)
    await edit_quietly(
        tapped_message(query),
        question_text(ctx.t, setting, current),
        question_keyboard(ctx.t, setting),
    )


async def clear_tapped(
    query: CallbackQuery, callback_data: SettingsCallback, state: FSMContext, ctx: Context
) -> None:
    setting = SETTINGS.get(callback_data.setting)
    if setting is None:
        return await answer(query, ctx.t("settings.stale_button"), alert=True)
    await _leave_input(state)
    await _save(ctx, setting, None)
    await answer(query, ctx.t(f"settings.cleared_{setting.value}"))
    await show(query, ctx, await settings_screen(ctx))


async def value_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    setting = SETTINGS.get(str((await state.get_data()).get(SETTING_KEY)))
    if setting is None:  # the data went (another conversation cleared it)
        await state.set_state(None)
        return await show_settings(message, state, ctx)
    typed = message.text or ""
    value = PARSERS[setting](typed)
    if isinstance(value, Problem):
        await message.answer(_refusal(ctx, setting, value, typed))
        return
    await _save(ctx, setting, None if isinstance(value, Clear) else value)
    await state.set_state(None)
    if isinstance(value, Clear):
        saved = ctx.t(f"settings.cleared_{setting.value}")
    else:
        saved = ctx.t(f"settings.saved_{setting.value}", value=await _current(ctx, setting))
    screen = await settings_screen(ctx)
    await message.answer(f"{saved}\n\n{screen.text}", reply_markup=screen.keyboard)


async def not_text(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("settings.input_hint"))


async def leave_for_command(message: Message, state: FSMContext) -> None:
    """A command or a menu button instead of a value: the question is dropped."""
    await state.set_state(None)
    raise SkipHandler


# -- inside ---------------------------------------------------------------------------


async def _leave_input(state: FSMContext) -> None:
    if await state.get_state() == SettingsInput.value.state:
        await state.set_state(None)


async def _current(ctx: Context, setting: Setting) -> str:
    t = ctx.t
    if setting is Setting.PRICE:
        price = await read_price(ctx.store)
        return t.money(price) if price is not None else t("settings.not_set")
    value = (await read_limits(ctx.store)).value(LIMITS[setting])
    if value is None:
        return t("settings.no_limit")
    if isinstance(value, Decimal):
        return t.money(value)
    return f"{value:,}".replace(",", "\u00a0")


async def _save(ctx: Context, setting: Setting, value: int | Decimal | None) -> None:
    """Write the setting; the audit log keeps each change (one that changes nothing is
    not one)."""
    if setting is Setting.PRICE:
        before = await read_price(ctx.store)
        await write_price(ctx.store, value if isinstance(value, Decimal) else None)
        action, details = AUDIT_PRICE, {}
    else:
        limit = LIMITS[setting]
        before = (await read_limits(ctx.store)).value(limit)
        await write_limit(ctx.store, limit, value)
        action, details = AUDIT_LIMIT, {"limit": limit.value}
    if before == value:
        return
    details |= {"from": _shown(before), "to": _shown(value)}
    await ctx.store.audit.record(ctx.user_id, action, details=details)


def _shown(value: int | Decimal | None) -> str:
    return "none" if value is None else str(value)


def _refusal(ctx: Context, setting: Setting, problem: Problem, typed: str) -> str:
    t = ctx.t
    limit = {
        Setting.PRICE: t.money(MAX_PRICE),
        Setting.COST: t.money(MAX_AMOUNT),
    }.get(setting, f"{MAX_COUNT:,}".replace(",", "\u00a0"))
    return t(
        f"settings.problem_{problem.value}",
        typed=esc(shorten(typed.strip(), TYPED_SHOWN)),
        limit=limit,
        decimals=PRICE_DECIMALS if setting is Setting.PRICE else 2,
        example=t(f"settings.example_{setting.value}"),
    )
