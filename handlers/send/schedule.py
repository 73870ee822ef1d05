"""Step 3: when to send: now, a quick choice, or a typed date (the calendar is next door)."""

from __future__ import annotations

from datetime import datetime

from aiogram import F, Router
from aiogram.filters import StateFilter
from aiogram.types import CallbackQuery, Message

from handlers.send import keyboards, render
from handlers.send.callbacks import SendAction, SendCallback, draft_token
from handlers.send.filters import TYPED_INPUT
from handlers.send.flow import SendFlow, answer, edit_quietly
from handlers.send.states import SendForm
from handlers.send.timing import TimeRefused, in_one_hour, parse_send_time, tomorrow_morning

router = Router(name="send.schedule")

QUICK = frozenset({SendAction.NOW, SendAction.IN_HOUR, SendAction.TOMORROW})


async def use_time(flow: SendFlow, moment: datetime | None) -> None:
    """Store the send time (None = now) and move on."""
    draft = await flow.draft()
    updated = await flow.store.drafts.update_content(draft.id, date_send=moment) if draft else None
    if updated is None:
        return await flow.gone()
    await flow.step_done(updated)


@router.callback_query(SendCallback.filter(F.action.in_(QUICK)))
async def quick_time(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    draft = await flow.tapped_draft(query, callback_data.draft, SendForm.time)
    if draft is None:
        return None
    await answer(query)
    now = flow.now()
    moment = {
        SendAction.NOW: None,
        SendAction.IN_HOUR: in_one_hour(flow.tz, now),
        SendAction.TOMORROW: tomorrow_morning(flow.tz, now),
    }[callback_data.action]
    await use_time(flow, moment)


@router.callback_query(SendCallback.filter(F.action == SendAction.TIME_BACK))
async def back_to_quick_choices(
    query: CallbackQuery, callback_data: SendCallback, flow: SendFlow
) -> None:
    draft = await flow.tapped_draft(query, callback_data.draft, SendForm.time)
    if draft is None:
        return None
    await answer(query)
    await edit_quietly(
        query.message,
        render.time_prompt(flow.t, flow.tz, flow.now()),
        keyboards.time_keyboard(flow.t, draft_token(draft.id)),
    )


@router.message(StateFilter(SendForm.time), TYPED_INPUT)
async def time_typed(message: Message, flow: SendFlow) -> None:
    now = flow.now()
    try:
        moment = parse_send_time(message.text or "", flow.tz, now)
    except TimeRefused as refused:
        await flow.say(render.time_refused(flow.t, refused.problem, flow.tz, now))
        draft = await flow.draft()
        return await (flow.ask_time(draft) if draft else flow.gone())
    await use_time(flow, moment)
