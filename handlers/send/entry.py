"""Starting a send (/send, the menu button) and leaving it (the Cancel button; /cancel is
the start feature's, which calls ``abandon_current_draft``)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from handlers.common.menu import SEND, menu_button
from handlers.send.callbacks import SendAction, SendCallback
from handlers.send.flow import SendFlow, answer
from handlers.send.hints import step_hint
from handlers.send.states import SendForm

router = Router(name="send.entry")


@router.message(Command("send"))
@router.message(menu_button(SEND))
async def new_dispatch(message: Message, flow: SendFlow) -> None:
    step = await flow.state.get_state()
    if step is not None and step in SendForm and await flow.draft() is not None:
        # Mid-way through a draft: it is not thrown away by a stray tap.
        await flow.say(await step_hint(flow))
        return
    draft = await flow.store.drafts.create(flow.user_id, flow.chat_id, text="")
    await flow.start(draft)
    await flow.ask_recipients(draft)


@router.callback_query(SendCallback.filter(F.action == SendAction.CANCEL))
async def cancel_button(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    draft = await flow.tapped_draft(query, callback_data.draft)
    if draft is None:
        return None
    await answer(query)
    await flow.cancel()
