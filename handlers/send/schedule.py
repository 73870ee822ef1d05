"""Step 3: when to send: now, a quick choice, or a typed date (the calendar is next door)."""

from __future__ import annotations

from datetime import datetime

from aiogram.types import CallbackQuery, Message

from handlers.common.replies import answer
from handlers.send import render
from handlers.send.callbacks import SendAction, SendCallback
from handlers.send.flow import SendFlow
from handlers.send.states import SendForm
from handlers.send.timing import TimeRefused, in_one_hour, parse_send_time, tomorrow_morning
from storage import Draft

QUICK = frozenset({SendAction.NOW, SendAction.IN_HOUR, SendAction.TOMORROW})


async def use_time(flow: SendFlow, moment: datetime | None, *, new: bool) -> None:
    """Store the send time (None = now) and move on."""
    draft = await flow.draft()
    updated = await flow.store.drafts.update_content(draft.id, date_send=moment) if draft else None
    if updated is None:
        return await flow.gone()
    await flow.step_done(updated, new=new)


async def quick_time(query: CallbackQuery, callback_data: SendCallback, flow: SendFlow) -> None:
    await answer(query)
    tz, now = flow.ctx.tz, flow.ctx.now()
    moment = {
        SendAction.NOW: None,
        SendAction.IN_HOUR: in_one_hour(tz, now),
        SendAction.TOMORROW: tomorrow_morning(tz, now),
    }[callback_data.action]
    await use_time(flow, moment, new=False)


async def back_to_quick_choices(query: CallbackQuery, flow: SendFlow, draft: Draft) -> None:
    await answer(query)
    await flow.show(SendForm.time, draft)


async def time_typed(message: Message, flow: SendFlow) -> None:
    tz, now = flow.ctx.tz, flow.ctx.now()
    typed = message.text or ""
    try:
        moment = parse_send_time(typed, tz, now)
    except TimeRefused as refused:
        draft = await flow.draft()
        if draft is None:
            return await flow.gone()
        error = render.time_refused(flow.t, refused.problem, typed, tz, now)
        return await flow.refuse(SendForm.time, draft, error)
    await use_time(flow, moment, new=True)
