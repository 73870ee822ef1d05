"""``/dispatches``: the tracked dispatches, newest first, a page at a time."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardButton, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import DispatchStatus, SmsApiError
from handlers.common.formatting import esc, format_moment, shorten
from handlers.common.menu import DISPATCHES, menu_button
from handlers.common.status import EMOJI, status_label
from handlers.dispatches.card import card_screen
from handlers.dispatches.desk import Desk
from handlers.dispatches.failures import as_alert, within_tap_budget
from handlers.dispatches.ids import is_api_id
from handlers.dispatches.screens import Screen, edit_in_place, tapped_message
from storage import TrackedDispatch

router = Router(name="dispatch_list")

PAGE_SIZE = 8
PREVIEW = 80
RECIPIENTS = 60


class DispatchPage(CallbackData, prefix="dp"):
    page: int


class OpenDispatch(CallbackData, prefix="do"):
    dispatch_id: int


@router.message(Command("dispatches"))
@router.message(menu_button(DISPATCHES))
async def list_dispatches(message: Message, desk: Desk) -> None:
    screen = await list_screen(desk, 0)
    await message.answer(screen.text, reply_markup=screen.keyboard)


@router.callback_query(DispatchPage.filter())
async def turn_page(query: CallbackQuery, callback_data: DispatchPage, desk: Desk) -> None:
    screen = await list_screen(desk, callback_data.page)
    message = tapped_message(query)
    if message is None:
        await query.answer()
        await desk.bot.send_message(query.from_user.id, screen.text, reply_markup=screen.keyboard)
        return
    edited = await edit_in_place(message, screen)
    await query.answer(None if edited else desk.t("dispatches.no_changes"))


@router.callback_query(OpenDispatch.filter())
async def open_card(query: CallbackQuery, callback_data: OpenDispatch, desk: Desk) -> None:
    dispatch_id = callback_data.dispatch_id
    if not is_api_id(dispatch_id):
        await query.answer(
            as_alert(desk.t("dispatches.not_found", id=dispatch_id)), show_alert=True
        )
        return
    try:
        dispatch = await within_tap_budget(desk.sms.dispatch(dispatch_id))
    except (SmsApiError, TimeoutError) as error:
        await query.answer(as_alert(await desk.explain(error, dispatch_id)), show_alert=True)
        return
    await query.answer()
    screen = await card_screen(desk, dispatch)
    await desk.bot.send_message(query.from_user.id, screen.text, reply_markup=screen.keyboard)


async def list_screen(desk: Desk, page: int) -> Screen:
    """One page of the list; a page past either end shows the nearest one."""
    t = desk.t
    total = await desk.store.dispatches.count()
    if total == 0:
        return Screen(t("dispatches.list_empty"))
    pages = -(-total // PAGE_SIZE)
    page = min(max(page, 0), pages - 1)
    shown = await desk.store.dispatches.recent(PAGE_SIZE, page * PAGE_SIZE)
    header = [t("dispatches.list_title", count=total)]
    if pages > 1:
        header.append(t("dispatches.list_page", page=page + 1, pages=pages))
    items = [_item(desk, tracked) for tracked in shown]
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


def _item(desk: Desk, tracked: TrackedDispatch) -> str:
    t = desk.t
    status = (
        status_label(t, tracked.last_status) if tracked.last_status else t("dispatches.not_checked")
    )
    recipients = tracked.recipients_desc or t("dispatches.recipients_elsewhere")
    preview = " ".join(tracked.text.split())  # one line, whatever the text's own breaks
    return t(
        "dispatches.list_item",
        id=tracked.dispatch_id,
        status=status,
        date=format_moment(tracked.date_send, desk.tz),
        recipients=esc(shorten(recipients, RECIPIENTS)),
        preview=esc(shorten(preview, PREVIEW)),
    )


def _emoji(tracked: TrackedDispatch) -> str:
    if tracked.last_status is None:
        return EMOJI[DispatchStatus.UNKNOWN]
    return EMOJI[DispatchStatus(tracked.last_status)]


def _turn(label: str, page: int) -> InlineKeyboardButton:
    return InlineKeyboardButton(text=label, callback_data=DispatchPage(page=page).pack())
