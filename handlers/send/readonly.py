"""Observers (and anyone whose role no longer allows sending) get a polite "you can only
read", never a draft. Buttons are re-checked here because callback data can be forged."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from handlers.common.menu import main_menu
from handlers.common.replies import answer
from handlers.send.flow import SendFlow


async def send_refused(message: Message, flow: SendFlow) -> None:
    await flow.say(flow.t("send.read_only"), main_menu(flow.t, flow.ctx.role))


async def draft_of_a_former_sender(message: Message, flow: SendFlow) -> None:
    # The role changed mid-way: the draft can no longer be sent.
    await flow.abandon()
    await flow.finish()
    await flow.say(flow.t("send.read_only"), main_menu(flow.t, flow.ctx.role))


async def button_refused(query: CallbackQuery, flow: SendFlow) -> None:
    await answer(query, flow.t("send.read_only"), alert=True)
