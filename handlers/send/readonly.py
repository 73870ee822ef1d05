"""Observers (and anyone whose role no longer allows sending) get a polite "you can only
read", never a draft. Buttons are re-checked here because callback data can be forged."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command, StateFilter
from aiogram.types import CallbackQuery, Message

from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.menu import SEND, main_menu, menu_button
from handlers.common.roles import can_send
from handlers.send.callbacks import CalendarCallback, ConfirmCallback, SendCallback
from handlers.send.flow import SendFlow, answer
from handlers.send.states import SendForm

router = Router(name="send.readonly")
router.message.filter(~can_send)
router.callback_query.filter(~can_send)


@router.message(Command("send"))
@router.message(menu_button(SEND))
async def send_refused(message: Message, flow: SendFlow) -> None:
    await flow.say(flow.t("send.read_only"), main_menu(flow.t, flow.role))


@router.message(StateFilter(SendForm))
async def draft_of_a_former_sender(message: Message, flow: SendFlow) -> None:
    # The role changed mid-way: the draft can no longer be sent.
    await flow.abandon()
    await flow.finish()
    await flow.say(flow.t("send.read_only"), main_menu(flow.t, flow.role))


@router.callback_query(SendCallback.filter())
@router.callback_query(ConfirmCallback.filter())
@router.callback_query(CalendarCallback.filter())
@router.callback_query(CardCallback.filter(F.action == CardAction.REPEAT))
async def button_refused(query: CallbackQuery, flow: SendFlow) -> None:
    await answer(query, flow.t("send.read_only"), alert=True)
