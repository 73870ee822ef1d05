"""The summary's Change menu (Send is in confirm.py, Cancel in entry.py)."""

from __future__ import annotations

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery

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
    markup = (
        keyboards.edit_keyboard(flow.t, draft_token(draft.id))
        if callback_data.action is SendAction.EDIT
        else flow.summary_keyboard(draft)
    )
    await edit_quietly(tapped_message(query), markup=markup)


async def edit_step(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow, draft: Draft
) -> None:
    await answer(query)
    await flow.edit_step(EDITS[callback_data.action], draft)
