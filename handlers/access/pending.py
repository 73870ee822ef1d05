"""The buttons of the list of pending requests (an admin's board, or ``/users``): decide
one, turn a page, deny all (asked first).

"Deny all" denies, once, in one SQLite statement, the requests still pending up to the
newest one the admin was shown when asked (one arriving after the question waits for
its own decision); the audit log keeps one entry with the count, and everyone denied is
told through the outbox in the background, within Telegram's limits.
"""

from __future__ import annotations

import asyncio

from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.access.board import PendingBoard
from handlers.access.callbacks import DenyAll, DenyAllStep, PendingDecision, PendingPage
from handlers.access.decisions import decide, earlier_decision_answer, tell_requester
from handlers.access.pending_view import load_pending, pending_screen
from handlers.access.render import display_name
from handlers.common.background import Background
from handlers.common.context import Context
from handlers.common.formatting import esc, format_moment
from handlers.common.replies import Screen, answer, edit_quietly, show, tapped_message
from storage import AccessRequest


async def decide_from_list(
    query: CallbackQuery,
    callback_data: PendingDecision,
    ctx: Context,
    pending_board: PendingBoard,
) -> None:
    request_id = callback_data.request_id
    decided = await decide(ctx, query, request_id, callback_data.decision.role)
    if decided is None:
        await earlier_decision_answer(query, request_id, ctx)
    else:
        pending_board.changed()  # the other admins' boards
    await _show_list_again(query, ctx, pending_board, callback_data.page)
    if decided is not None:
        await tell_requester(ctx, decided)


async def turn_pending_page(query: CallbackQuery, callback_data: PendingPage, ctx: Context) -> None:
    await answer(query)
    listed = await load_pending(ctx.store, callback_data.page)
    await show(query, ctx, pending_screen(ctx.t, listed, ctx.tz, board=False))


async def deny_all(
    query: CallbackQuery,
    callback_data: DenyAll,
    ctx: Context,
    pending_board: PendingBoard,
    background: Background,
) -> None:
    match callback_data.step:
        case DenyAllStep.ASK:
            await _ask(query, ctx, callback_data.up_to)
        case DenyAllStep.NO:
            await answer(query)
            await edit_quietly(tapped_message(query), ctx.t("access.deny_all_kept"))
        case DenyAllStep.YES:
            await _deny_all(query, ctx, callback_data.up_to, pending_board, background)


async def _ask(query: CallbackQuery, ctx: Context, up_to: int) -> None:
    """The question comes as a message of its own: the board it was asked from is
    redrawn as requests come and go, and would take the question away."""
    await answer(query)
    waiting = await ctx.store.access_requests.pending_count(up_to)
    if not waiting:
        await ctx.bot.send_message(ctx.chat_id, ctx.t("access.deny_all_nothing"))
        return
    t = ctx.t
    builder = InlineKeyboardBuilder()
    builder.button(
        text=t("access.button_deny_all_yes", n=waiting),
        callback_data=DenyAll(step=DenyAllStep.YES, up_to=up_to),
    )
    builder.button(
        text=t("access.button_deny_all_no"),
        callback_data=DenyAll(step=DenyAllStep.NO, up_to=up_to),
    )
    builder.adjust(1)
    markup: InlineKeyboardMarkup = builder.as_markup()
    await ctx.bot.send_message(
        ctx.chat_id, t("access.deny_all_confirm", n=waiting), reply_markup=markup
    )


async def _deny_all(
    query: CallbackQuery,
    ctx: Context,
    up_to: int,
    pending_board: PendingBoard,
    background: Background,
) -> None:
    t = ctx.t
    denied = await ctx.store.access_requests.deny_pending(ctx.user_id, up_to)
    if not denied:  # decided meanwhile: by ones, or by another admin's "deny all"
        await answer(query, t("access.deny_all_nothing"), alert=True)
        await edit_quietly(tapped_message(query), t("access.deny_all_nothing"))
        return
    await ctx.store.audit.record(
        ctx.user_id, "access.deny_all", details={"count": len(denied), "up_to": up_to}
    )
    await answer(query, t("access.deny_all_toast", n=len(denied)))
    admin = esc(display_name(ctx.user, ctx.user_id))
    moment = format_moment(denied[-1].decided_at, ctx.tz)
    await edit_quietly(
        tapped_message(query), t("access.deny_all_done", n=len(denied), admin=admin, moment=moment)
    )
    pending_board.changed()
    background.spawn(_tell_denied(ctx, denied), name=f"tell-denied-{up_to}")


async def _tell_denied(ctx: Context, denied: list[AccessRequest]) -> None:
    # The outbox spaces the messages within Telegram's limits and waits out a 429.
    await asyncio.gather(*(tell_requester(ctx, request) for request in denied))


async def _show_list_again(
    query: CallbackQuery, ctx: Context, pending_board: PendingBoard, page: int
) -> None:
    """Redraw the list the tap came from: the admin's board, or a page of /users."""
    message = tapped_message(query)
    if message is not None and await pending_board.is_board(ctx.user_id, message.message_id):
        await pending_board.redraw(ctx.user_id)
        return
    listed = await load_pending(ctx.store, page)
    screen: Screen = pending_screen(ctx.t, listed, ctx.tz, board=False)
    await show(query, ctx, screen)
