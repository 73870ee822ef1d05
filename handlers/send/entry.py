"""Starting a send (/send, the menu button) and leaving it (the Cancel button; /cancel is
the start feature's)."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from handlers.common.replies import answer
from handlers.send.flow import SendFlow
from handlers.send.hints import step_hint
from handlers.send.states import SendForm


async def new_dispatch(message: Message, flow: SendFlow) -> None:
    step = await flow.state.get_state()
    if step is not None and step in SendForm and await flow.draft() is not None:
        # Mid-way through a draft: it is not thrown away by a stray tap.
        await flow.say(await step_hint(flow))
        return
    draft = await flow.store.drafts.create(flow.ctx.user_id, flow.ctx.chat_id, text="")
    await flow.start(draft)
    await flow.ask_recipients(draft)


async def cancel_button(query: CallbackQuery, flow: SendFlow) -> None:
    await answer(query)
    await flow.cancel()
