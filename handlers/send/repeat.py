"""The dispatch card's "🔁 Repeat": a new draft with the same recipients and text."""

from __future__ import annotations

from aiogram.types import CallbackQuery

from core.phones import collect_book_phones
from core.sms import SmsApiError
from handlers.common.callbacks import CardCallback
from handlers.common.replies import answer, within_tap_budget
from handlers.send import render
from handlers.send.flow import SendFlow
from handlers.send.render import RecipientCounts


async def repeat_dispatch(
    query: CallbackQuery, callback_data: CardCallback, flow: SendFlow
) -> None:
    source = await flow.store.drafts.by_dispatch_id(callback_data.dispatch_id)
    if source is None:
        return await answer(query, flow.t("send.repeat_impossible"), alert=True)
    await answer(query)
    if source.book_id is not None:
        # The book may have changed since: count its numbers as they are now.
        try:
            phones = collect_book_phones(await within_tap_budget(flow.sms.contacts(source.book_id)))
        except SmsApiError as error:
            return await flow.report_error(error)
        counts = RecipientCounts(len(phones.valid), len(phones.invalid))
        if not phones.valid:
            await flow.say(render.phones_report(flow.t, phones, source.book_name))
            return
    else:
        counts = RecipientCounts(len(source.phones), 0)
    draft = await flow.store.drafts.create(
        flow.ctx.user_id,
        flow.ctx.chat_id,
        text=source.text,
        book_id=source.book_id,
        book_name=source.book_name,
        phones=source.phones,
    )
    await flow.start(draft, counts)
    await flow.say(flow.t("send.repeat_started", id=callback_data.dispatch_id))
    await flow.ask_time(draft)
