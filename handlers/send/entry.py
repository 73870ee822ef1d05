"""Starting a send (/send, the menu button), coming back to an unfinished one, leaving it
(the Cancel button; /cancel is the start feature's), and stepping aside: any other
command or menu button in the middle of a send parks the draft and goes where it goes."""

from __future__ import annotations

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.types import CallbackQuery, Message

from handlers.common.replies import answer
from handlers.send import keyboards, render
from handlers.send.callbacks import draft_token
from handlers.send.flow import SendFlow
from handlers.send.states import DRAFT_ID, PROMPT_ID, SendForm, park_draft
from storage import Draft


async def new_dispatch(message: Message, flow: SendFlow) -> None:
    draft = await flow.draft()
    if draft is not None:
        # An unfinished draft, active or parked: it is offered back, never thrown away.
        await park_draft(flow.state)
        await flow.close_prompt()
        counts = await flow.counts()
        lines = render.progress(flow.t, draft, counts, SendForm.summary, flow.ctx.tz)
        text = "\n".join([flow.t("send.resume_question"), *lines[1:]])
        offer = await flow.say(text, keyboards.resume_keyboard(flow.t, draft_token(draft.id)))
        await flow.state.update_data({PROMPT_ID: offer.message_id})
        return
    await _begin(flow)


async def _begin(flow: SendFlow) -> None:
    draft = await flow.store.drafts.create(flow.ctx.user_id, flow.ctx.chat_id, text="")
    await flow.start(draft)
    await flow.show(SendForm.recipients, draft, new=True)


async def resume(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    await flow.resume(draft)


async def discard(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    fresh = await flow.store.drafts.create(flow.ctx.user_id, flow.ctx.chat_id, text="")
    prompt_id = (await flow.data()).get(PROMPT_ID)
    await flow.abandon()
    await flow.state.update_data({DRAFT_ID: fresh.id, PROMPT_ID: prompt_id})
    await flow.show(SendForm.recipients, fresh)


async def cancel_button(query: CallbackQuery, flow: SendFlow) -> None:
    await answer(query)
    await flow.cancel(query)


async def step_back(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    await flow.step_back(draft)


async def step_aside(message: Message, flow: SendFlow) -> None:
    """Another command or menu button mid-send: the draft waits (a tap on its wizard, or
    /send, brings it back), and the command goes on to its own feature."""
    await park_draft(flow.state)
    raise SkipHandler
