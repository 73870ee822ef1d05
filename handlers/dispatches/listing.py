"""``/dispatches``: the tracked dispatches, newest first, a page at a time."""

from __future__ import annotations

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import DispatchStatus, SmsApiError
from handlers.common.context import Context
from handlers.common.dispatch_reads import read_dispatch
from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.ids import is_api_id
from handlers.common.replies import Screen, answer, explain_failure, show
from handlers.common.status import EMOJI, status_label
from handlers.dispatches.screens import card_screen
from storage import TrackedDispatch

PAGE_SIZE = 8
PREVIEW = 80
RECIPIENTS = 60


class DispatchPage(CallbackData, prefix="dp"):
    page: int


class OpenDispatch(CallbackData, prefix="do"):
    dispatch_id: int


async def list_dispatches(message: Message, ctx: Context) -> None:
    screen = await list_screen(ctx, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)


async def turn_page(query: CallbackQuery, callback_data: DispatchPage, ctx: Context) -> None:
    shown = await show(query, ctx, await list_screen(ctx, callback_data.page))
    await answer(query, None if shown else ctx.t("dispatches.no_changes"))


async def open_card(query: CallbackQuery, callback_data: OpenDispatch, ctx: Context) -> None:
    dispatch_id = callback_data.dispatch_id
    if not is_api_id(dispatch_id):
        await answer(query, ctx.t("dispatches.not_found", id=dispatch_id), alert=True)
        return
    try:
        dispatch = await read_dispatch(ctx, dispatch_id)
    except SmsApiError as error:
        await answer(query, await explain_failure(ctx, error, dispatch_id), alert=True)
        return
    await answer(query)
    screen = await card_screen(ctx, dispatch)
    await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)


async def list_screen(ctx: Context, page: int) -> Screen:
    """One page of the list; a page past either end shows the nearest one."""
    t = ctx.t
    total = await ctx.store.dispatches.count()
    if total == 0:
        return Screen(t("dispatches.list_empty"))
    pages = -(-total // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = await ctx.store.dispatches.recent(PAGE_SIZE, page * PAGE_SIZE)
    header = [t("dispatches.list_title", count=total)]
    if pages > 1:
        header.append(t("dispatches.list_page", page=page + 1, pages=pages))
    items = [_item(ctx, tracked) for tracked in shown]
    text = "\n".join(header) + "\n\n" + "\n\n".join(items)

    builder = InlineKeyboardBuilder()
    for tracked in shown:
        builder.button(
            text=f"#{tracked.dispatch_id} {_emoji(tracked)}",
            callback_data=OpenDispatch(dispatch_id=tracked.dispatch_id),
        )
    builder.adjust(4)
    turns = []
    if page > 0:
        turns.append(_turn(t("dispatches.button_previous"), page - 1))
    if page < pages - 1:
        turns.append(_turn(t("dispatches.button_next"), page + 1))
    if turns:
        builder.row(*turns)
    return Screen(text, builder.as_markup())


def _item(ctx: Context, tracked: TrackedDispatch) -> str:
    t = ctx.t
    shown = tracked.shown  # what the last read said, a Refresh's as much as the poller's
    status = status_label(t, shown.status) if shown else t("dispatches.not_checked")
    recipients = tracked.recipients_desc or t("dispatches.recipients_elsewhere")
    preview = " ".join(tracked.text.split())  # one line, whatever the text's own breaks
    return t(
        "dispatches.list_item",
        id=tracked.dispatch_id,
        status=status,
        date=format_moment(tracked.date_send, ctx.tz),
        recipients=esc(shorten(recipients, RECIPIENTS)),
        preview=esc(shorten(preview, PREVIEW)),
    )


def _emoji(tracked: TrackedDispatch) -> str:
    shown = tracked.shown
    return EMOJI[DispatchStatus(shown.status if shown else DispatchStatus.UNKNOWN)]


def _turn(label: str, page: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=label, callback_data=DispatchPage(page=page).pack())
