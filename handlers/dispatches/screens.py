"""The card of one dispatch as this user sees it, and the confirmation questions."""

from __future__ import annotations

from aiogram.types import InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import Dispatch
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.card import card_keyboard, card_text
from handlers.common.context import Context
from handlers.common.formatting import format_moment
from handlers.common.replies import Screen
from handlers.common.roles import CAN_SEND
from handlers.dispatches.authority import authority_over
from handlers.dispatches.confirmation import Command, issue

# What each confirmation asks, and the command its "yes" confirms.
CONFIRMATIONS = {
    CardAction.CANCEL: ("dispatches.confirm_cancel", Command.CANCEL),
    CardAction.RUN: ("dispatches.confirm_run", Command.RUN),
}
YES_LABELS = {
    Command.CANCEL: "dispatches.button_yes_cancel",
    Command.RUN: "dispatches.button_yes_run",
}


async def card_screen(ctx: Context, dispatch: Dispatch, notice: str | None = None) -> Screen:
    """The card with the buttons the status, the role and the rules allow; ``notice`` goes
    on top."""
    store = ctx.store
    tracked = await store.dispatches.get(dispatch.id)
    following = await store.subscriptions.is_subscribed(dispatch.id, ctx.user_id)
    made_here = await store.drafts.by_dispatch_id(dispatch.id) is not None
    text = card_text(
        ctx.t, dispatch, ctx.tz, recipients=tracked.recipients_desc if tracked else None
    )
    lost = await store.lost_creates.found_as(dispatch.id)
    if lost is not None:
        moment = format_moment(lost.posted_at, ctx.tz)
        text += "\n" + ctx.t("card.probably_lost_create", moment=moment)
    if notice:
        text = f"{notice}\n\n{text}"
    may_change = ctx.role in CAN_SEND and (await authority_over(ctx, dispatch.id)).allowed
    keyboard = card_keyboard(
        ctx.t,
        dispatch,
        ctx.role,
        following=following,
        can_repeat=made_here,
        may_change=may_change,
    )
    return Screen(text, keyboard)


async def confirmation_screen(ctx: Context, dispatch: Dispatch, action: CardAction) -> Screen:
    """The card with the question under it and only Yes / No to tap."""
    question_key, command = CONFIRMATIONS[action]
    card = await card_screen(ctx, dispatch)
    text = f"{card.text}\n\n{ctx.t(question_key, id=dispatch.id)}"
    return Screen(text, await confirmation_keyboard(ctx, command, dispatch.id))


async def confirmation_keyboard(
    ctx: Context, command: Command, dispatch_id: int
) -> InlineKeyboardMarkup:
    """Yes / No; the Yes carries a token issued now, good once."""
    builder = InlineKeyboardBuilder()
    builder.button(
        text=ctx.t(YES_LABELS[command]),
        callback_data=await issue(ctx, command, dispatch_id),
    )
    builder.button(
        text=ctx.t("dispatches.button_no"),
        callback_data=CardCallback(action=CardAction.BACK, dispatch_id=dispatch_id),
    )
    return builder.as_markup()
