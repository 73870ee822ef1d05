"""``/status <id>`` and ``/track <id>``; without a number, the next message is the number."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandObject, StateFilter
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import Message

from core.sms import Dispatch, SmsApiError
from handlers.common.formatting import esc, shorten
from handlers.common.menu import typed_text
from handlers.dispatches.card import card_screen
from handlers.dispatches.desk import Desk
from handlers.dispatches.following import follow
from handlers.dispatches.ids import MAX_API_ID, BadDispatchId, parse_dispatch_id

router = Router(name="dispatch_lookup")

# In the number step only plain text is the answer: commands and menu buttons go on to
# whoever handles them.
typed_answer = typed_text


class AskNumber(StatesGroup):
    for_card = State()
    to_follow = State()


@router.message(Command("status"))
async def status_command(
    message: Message, command: CommandObject, state: FSMContext, desk: Desk
) -> None:
    if not command.args:
        await state.set_state(AskNumber.for_card)
        await message.answer(desk.t("dispatches.ask_number"))
        return
    await _leave_number_step(state)
    await show_card(message, desk, command.args)


@router.message(Command("track"))
async def track_command(
    message: Message, command: CommandObject, state: FSMContext, desk: Desk
) -> None:
    if not command.args:
        await state.set_state(AskNumber.to_follow)
        await message.answer(desk.t("dispatches.ask_number_to_follow"))
        return
    await _leave_number_step(state)
    await follow_and_show(message, desk, command.args)


@router.message(StateFilter(AskNumber.for_card), typed_answer)
async def number_for_card(message: Message, state: FSMContext, desk: Desk) -> None:
    if await show_card(message, desk, message.text or ""):
        await state.set_state(None)  # only the step: another feature's data stays


@router.message(StateFilter(AskNumber.to_follow), typed_answer)
async def number_to_follow(message: Message, state: FSMContext, desk: Desk) -> None:
    if await follow_and_show(message, desk, message.text or ""):
        await state.set_state(None)


async def show_card(message: Message, desk: Desk, typed: str) -> bool:
    """Answer with the card of the typed dispatch; False (with the reason) if none."""
    dispatch = await _fetch_typed(message, desk, typed)
    if dispatch is None:
        return False
    screen = await card_screen(desk, dispatch)
    await message.answer(screen.text, reply_markup=screen.keyboard)
    return True


async def follow_and_show(message: Message, desk: Desk, typed: str) -> bool:
    dispatch = await _fetch_typed(message, desk, typed)
    if dispatch is None:
        return False
    added = await follow(desk.store, dispatch, desk.user_id)
    notice = desk.t(
        "dispatches.followed" if added else "dispatches.already_followed", id=dispatch.id
    )
    if added and dispatch.is_final:
        notice += " " + desk.t("dispatches.finished_note")
    screen = await card_screen(desk, dispatch, notice)
    await message.answer(screen.text, reply_markup=screen.keyboard)
    return True


async def _fetch_typed(message: Message, desk: Desk, typed: str) -> Dispatch | None:
    parsed = parse_dispatch_id(typed)
    if isinstance(parsed, BadDispatchId):
        shown = esc(shorten(typed.strip(), 40))
        await message.answer(desk.t(parsed.value, text=shown, max=MAX_API_ID))
        return None
    try:
        return await desk.sms.dispatch(parsed)
    except SmsApiError as error:
        await message.answer(await desk.explain(error, parsed))
        return None


async def _leave_number_step(state: FSMContext) -> None:
    if await state.get_state() in (AskNumber.for_card.state, AskNumber.to_follow.state):
        await state.set_state(None)
