"""``/status <id>`` and ``/track <id>``; without a number, the next message is the number."""

from __future__ import annotations

from aiogram.filters import CommandObject
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from core.sms import Dispatch, SmsApiError
from handlers.common.context import Context
from handlers.common.dispatch_reads import read_dispatch
from handlers.common.formatting import esc, shorten
from handlers.common.ids import MAX_API_ID, BadDispatchId, parse_dispatch_id
from handlers.common.replies import explain_failure
from handlers.dispatches.following import follow
from handlers.dispatches.screens import card_screen


class AskNumber(StatesGroup):
    for_card = State()
    to_follow = State()


async def status_command(
    message: Message, command: CommandObject, state: FSMContext, ctx: Context
) -> None:
    if not command.args:
        await state.set_state(AskNumber.for_card)
        await message.answer(ctx.t("dispatches.ask_number"))
        return
    await _leave_number_step(state)
    await show_card(message, ctx, command.args)


async def track_command(
    message: Message, command: CommandObject, state: FSMContext, ctx: Context
) -> None:
    if not command.args:
        await state.set_state(AskNumber.to_follow)
        await message.answer(ctx.t("dispatches.ask_number_to_follow"))
        return
    await _leave_number_step(state)
    await follow_and_show(message, ctx, command.args)


async def number_for_card(message: Message, state: FSMContext, ctx: Context) -> None:
    if await show_card(message, ctx, message.text or ""):
        await state.set_state(None)  # only the step: another feature's data stays


async def number_to_follow(message: Message, state: FSMContext, ctx: Context) -> None:
    if await follow_and_show(message, ctx, message.text or ""):
        await state.set_state(None)


async def show_card(message: Message, ctx: Context, typed: str) -> bool:
    """Answer with the card of the typed dispatch; False (with the reason) if none."""
    dispatch = await _fetch_typed(message, ctx, typed)
    if dispatch is None:
        return False
    screen = await card_screen(ctx, dispatch)
    await message.answer(screen.text, reply_markup=screen.keyboard)
    return True


async def follow_and_show(message: Message, ctx: Context, typed: str) -> bool:
    dispatch = await _fetch_typed(message, ctx, typed)
    if dispatch is None:
        return False
    added = await follow(ctx.store, dispatch, ctx.user_id)
    notice = ctx.t(
        "dispatches.followed" if added else "dispatches.already_followed", id=dispatch.id
    )
    if added and dispatch.is_final:
        notice += " " + ctx.t("dispatches.finished_note")
    screen = await card_screen(ctx, dispatch, notice)
    await message.answer(screen.text, reply_markup=screen.keyboard)
    return True


async def _fetch_typed(message: Message, ctx: Context, typed: str) -> Dispatch | None:
    parsed = parse_dispatch_id(typed)
    if isinstance(parsed, BadDispatchId):
        shown = esc(shorten(typed.strip(), 40))
        await message.answer(ctx.t(parsed.value, text=shown, max=MAX_API_ID))
        return None
    try:
        return await read_dispatch(ctx, parsed, for_tap=False)
    except SmsApiError as error:
        await message.answer(await explain_failure(ctx, error, parsed))
        return None


async def _leave_number_step(state: FSMContext) -> None:
    if await state.get_state() in (AskNumber.for_card.state, AskNumber.to_follow.state):
        await state.set_state(None)
