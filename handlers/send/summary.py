"""Step 4: the summary's Edit menu (Confirm is in confirm.py, Cancel in entry.py)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.fsm.state import State
from aiogram.types import CallbackQuery

from handlers.send import keyboards
from handlers.send.callbacks import SendAction, SendCallback, draft_token
from handlers.send.flow import SendFlow, answer, edit_quietly
from handlers.send.states import SendForm

router = Router(name="send.summary")

EDITS: dict[SendAction, State] = {
    SendAction.EDIT_RECIPIENTS: SendForm.recipients,
    SendAction.EDIT_TEXT: SendForm.text,
    SendAction.EDIT_TIME: SendForm.time,
}


@router.callback_query(
    SendCallback.filter(F.action.in_({SendAction.EDIT, SendAction.SUMMARY_BACK}))
)
async def edit_menu(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    draft = await flow.tapped_draft(query, callback_data.draft, SendForm.summary)
    if draft is None:
        return None
    await answer(query)
    token = draft_token(draft.id)
    markup = (
        keyboards.edit_keyboard(flow.t, token)
        if callback_data.action is SendAction.EDIT
        else keyboards.summary_keyboard(flow.t, draft.id, token)
    )
    await edit_quietly(query.message, markup=markup)


@router.callback_query(SendCallback.filter(F.action.in_(set(EDITS))))
async def edit_step(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    draft = await flow.tapped_draft(query, callback_data.draft, SendForm.summary)
    if draft is None:
        return None
    await answer(query)
    await flow.edit_step(EDITS[callback_data.action], draft)
