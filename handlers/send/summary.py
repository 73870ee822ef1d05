"""The summary's Change menu (Send is in confirm.py, Cancel in entry.py)."""

from __future__ import annotations

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery

from core.repeats import earlier_same
from handlers.common.replies import answer, edit_quietly, tapped_message
from handlers.send import keyboards
from handlers.send.callbacks import SendAction, SendCallback, draft_token
from handlers.send.flow import SendFlow
from handlers.send.states import SendForm
from storage import Draft

EDITS: dict[SendAction, State] = {
    SendAction.EDIT_RECIPIENTS: SendForm.recipients,
    SendAction.EDIT_TEXT: SendForm.text,
    SendAction.EDIT_TIME: SendForm.time,
}


async def edit_menu(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    await answer(query)
    if callback_data.action is SendAction.EDIT:
        markup = keyboards.edit_keyboard(flow.t, draft_token(draft.id))
    else:  # back: Confirm still says "again" when the summary warned of a repeat
        earlier = await earlier_same(flow.store, draft, flow.ctx.now())
        markup = flow.summary_keyboard(draft, again=earlier is not None)
    await edit_quietly(tapped_message(query), markup=markup)


async def edit_step(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    await answer(query)
    await flow.edit_step(EDITS[callback_data.action], draft)
