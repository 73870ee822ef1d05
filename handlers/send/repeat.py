"""The dispatch card's "🔁 Repeat": a new draft with the same recipients and text, opened
at the time step as a new wizard message (the card stays as it is)."""

from __future__ import annotations

import asyncio

from aiogram.types import CallbackQuery

from core.phones import collect_book_phones
from core.sms import SmsApiError
from core.stoplist import without_stopped
from handlers.common.callbacks import CardCallback
from handlers.common.replies import answer, within_tap_budget
from handlers.common.sms_errors import describe_sms_error
from handlers.send import render
from handlers.send.flow import SendFlow
from handlers.send.render import RecipientCounts
from handlers.send.states import SendForm


async def repeat_dispatch(
    query: CallbackQuery, callback_data: CardCallback, flow: SendFlow
) -> None:
    source = await flow.store.drafts.by_dispatch_id(callback_data.dispatch_id)
    if source is None:
        return await answer(query, flow.t("send.repeat_impossible"), alert=True)
    note = flow.t("send.repeat_started", id=callback_data.dispatch_id)
    left_out = None
    if source.book_id is not None:
        # The book may have changed since: count its numbers as they are now.
        try:
            contacts = await within_tap_budget(flow.sms.contact_phones(source.book_id))
        except SmsApiError as error:
            return await answer(query, describe_sms_error(error, flow.t), alert=True)
        phones = await asyncio.to_thread(collect_book_phones, contacts)
        del contacts
        if not phones.valid:
            return await answer(query, render.no_numbers(flow.t, phones), alert=True)
        valid, invalid = phones.valid, phones.invalid_count
        left_out = render.phones_note(flow.t, phones)
    else:
        valid, invalid = source.phones, 0
    # The stop list may have grown since: the numbers it holds now are counted out (and
    # left out again at Confirm).
    kept, stopped = await without_stopped(flow.store, valid)
    if not kept:
        return await answer(query, render.all_stopped(flow.t, stopped), alert=True)
    counts = RecipientCounts(len(kept), invalid, stopped)
    note = render.joined(note, left_out, render.stopped_note(flow.t, stopped)) or note
    await answer(query)
    draft = await flow.store.drafts.create(
        flow.ctx.user_id,
        flow.ctx.chat_id,
        text=source.text,
        book_id=source.book_id,
        book_name=source.book_name,
        phones=source.phones,
    )
    await flow.start(draft, counts)
    await flow.show(SendForm.time, draft, new=True, note=note)
