"""``/stoplist`` (admins): see the list a page at a time, add or remove numbers typed or in
a .txt/.csv file (read as the send's step 1 reads them), export it as a file.

The audit log keeps who changed the list and by how many numbers, never the numbers:
it is shown to every admin and kept for good, while a number taken off the list must be
gone from the bot; the list itself remembers who added each number and when.
"""

from __future__ import annotations

import asyncio
from datetime import datetime

from aiogram.dispatcher.event.bases import SkipHandler
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.types import BufferedInputFile, CallbackQuery, Message

from core.phones import PhoneFileError, PhoneList, parse_phone_list
from handlers.common.context import Context
from handlers.common.formatting import esc
from handlers.common.paging import clamp_page, page_count
from handlers.common.replies import Screen, answer, edit_quietly, show, tapped_message
from handlers.send.recipients import (
    MAX_FILE_BYTES,
    MAX_FILE_MB,
    download,
    file_kind,
    read_numbers_file,
)
from handlers.send.render import no_numbers
from handlers.start.conversation import step_out
from handlers.stoplist.callbacks import StopListCallback
from handlers.stoplist.screen import (
    PER_PAGE,
    added_text,
    export_file,
    question_keyboard,
    removed_text,
    screen_keyboard,
    screen_text,
)

AUDIT_ADD = "stoplist.add"
AUDIT_REMOVE = "stoplist.remove"
AUDIT_EXPORT = "stoplist.export"


class StopListInput(StatesGroup):
    adding = State()
    removing = State()


async def stop_list_screen(ctx: Context, page: int) -> Screen:
    total = await ctx.store.stop_list.count()
    page = clamp_page(page, page_count(total, PER_PAGE))
    phones = await ctx.store.stop_list.page(PER_PAGE, page * PER_PAGE)
    return Screen(screen_text(ctx.t, total, phones, page), screen_keyboard(ctx.t, total, page))


async def show_stop_list(message: Message, state: FSMContext, ctx: Context) -> None:
    await _leave_input(state)
    screen = await stop_list_screen(ctx, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def page_tapped(
    query: CallbackQuery, callback_data: StopListCallback, state: FSMContext, ctx: Context
) -> None:
    await _leave_input(state)
    await answer(query)
    await show(query, ctx, await stop_list_screen(ctx, callback_data.page))


async def add_tapped(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await _ask(query, state, ctx, StopListInput.adding, "stoplist.ask_add")


async def remove_tapped(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await _ask(query, state, ctx, StopListInput.removing, "stoplist.ask_remove")


async def cancel_tapped(query: CallbackQuery, state: FSMContext, ctx: Context) -> None:
    await _leave_input(state)
    await answer(query)
    await show(query, ctx, await stop_list_screen(ctx, 0))


async def export_tapped(query: CallbackQuery, ctx: Context) -> None:
    total = await ctx.store.stop_list.count()
    if not total:
        return await answer(query, ctx.t("stoplist.empty"), alert=True)
    await answer(query)
    phones = await ctx.store.stop_list.page(total)
    day = ctx.now().astimezone(ctx.tz).strftime("%Y-%m-%d")
    document = BufferedInputFile(export_file(phones), filename=f"stop-list-{day}.txt")
    caption = ctx.t.plural("stoplist.export_caption", len(phones), day=_day(ctx.now(), ctx))
    await ctx.bot.send_document(ctx.chat_id, document, caption=caption)
    await ctx.store.audit.record(ctx.user_id, AUDIT_EXPORT, details={"numbers": len(phones)})


async def numbers_typed(message: Message, state: FSMContext, ctx: Context) -> None:
    phones = await asyncio.to_thread(parse_phone_list, message.text or "")
    await _apply(message, state, ctx, phones)


async def numbers_file(message: Message, state: FSMContext, ctx: Context) -> None:
    document = message.document
    assert document is not None  # the filter says so
    t = ctx.t
    kind = file_kind(document)
    if kind is None:
        return await _refuse(message, ctx, t("send.file_wrong_type"))
    if (document.file_size or 0) > MAX_FILE_BYTES:
        return await _refuse(message, ctx, t("send.file_too_big", limit_mb=MAX_FILE_MB))
    content = await download(ctx.bot, document)
    if content is None:
        return await _refuse(message, ctx, t("send.file_download_failed"))
    if len(content) > MAX_FILE_BYTES:
        return await _refuse(message, ctx, t("send.file_too_big", limit_mb=MAX_FILE_MB))
    try:
        phones = await asyncio.to_thread(read_numbers_file, content, kind)
    except UnicodeDecodeError:
        return await _refuse(message, ctx, t("send.file_not_text"))
    except PhoneFileError as error:
        return await _refuse(message, ctx, t("send.file_unreadable", reason=esc(str(error)[:100])))
    await _apply(message, state, ctx, phones)


async def not_numbers(message: Message, ctx: Context) -> None:
    """A sticker, a photo: the question stays."""
    await _refuse(message, ctx, ctx.t("stoplist.input_hint"))


async def leave_for_command(message: Message, state: FSMContext) -> None:
    """A command or a menu button instead of numbers: the question is dropped."""
    await state.set_state(None)
    raise SkipHandler


# -- inside ---------------------------------------------------------------------------


async def _ask(
    query: CallbackQuery, state: FSMContext, ctx: Context, asking: State, question: str
) -> None:
    await answer(query)
    await step_out(state)  # a send draft waits, to be offered back by /send
    await state.set_state(asking)
    await edit_quietly(tapped_message(query), ctx.t(question), question_keyboard(ctx.t))


async def _apply(message: Message, state: FSMContext, ctx: Context, phones: PhoneList) -> None:
    if not phones.valid:
        return await _refuse(message, ctx, no_numbers(ctx.t, phones))
    adding = await state.get_state() == StopListInput.adding.state
    if adding:
        added = await ctx.store.stop_list.add(phones.valid, ctx.user_id)
        result = added_text(ctx.t, phones, added)
        details = {"added": added, "already": len(phones.valid) - added}
    else:
        removed = await ctx.store.stop_list.remove(phones.valid)
        result = removed_text(ctx.t, phones, removed)
        details = {"removed": removed, "absent": len(phones.valid) - removed}
    if phones.invalid_count:
        details["invalid"] = phones.invalid_count
    await ctx.store.audit.record(
        ctx.user_id, AUDIT_ADD if adding else AUDIT_REMOVE, details=details
    )
    await state.set_state(None)
    screen = await stop_list_screen(ctx, 0)
    await message.answer(f"{result}\n\n{screen.text}", reply_markup=screen.keyboard)


async def _refuse(message: Message, ctx: Context, reason: str) -> None:
    await message.answer(f"{reason}\n\n{ctx.t('stoplist.still_asking')}")


async def _leave_input(state: FSMContext) -> None:
    if await state.get_state() in (StopListInput.adding.state, StopListInput.removing.state):
        await state.set_state(None)


def _day(moment: datetime, ctx: Context) -> str:
    return moment.astimezone(ctx.tz).strftime("%d.%m.%Y")
