"""The card of one dispatch as this user sees it, and the confirmation questions."""

from __future__ import annotations

from aiogram.utils.keyboard import InlineKeyboardBuilder

from core.sms import Dispatch
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.card import card_keyboard, card_text
from handlers.common.context import Context
from handlers.common.formatting import format_moment
from handlers.common.replies import Screen

# What each confirmation asks, and the action its "yes" button carries.
CONFIRMATIONS = {
    CardAction.CANCEL: ("dispatches.confirm_cancel", "yes_cancel", CardAction.CANCEL_CONFIRMED),
    CardAction.RUN: ("dispatches.confirm_run", "yes_run", CardAction.RUN_CONFIRMED),
}


async def card_screen(ctx: Context, dispatch: Dispatch, notice: str | None = None) -> Screen:
    """The card with the buttons the status and the role allow; ``notice`` goes on top."""
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
    keyboard = card_keyboard(ctx.t, dispatch, ctx.role, following=following, can_repeat=made_here)
    return Screen(text, keyboard)


async def confirmation_screen(ctx: Context, dispatch: Dispatch, action: CardAction) -> Screen:
    """The card with the question under it and only Yes / No to tap."""
    question_key, yes_label, confirmed = CONFIRMATIONS[action]
    card = await card_screen(ctx, dispatch)
    builder = InlineKeyboardBuilder()
    builder.button(
        text=ctx.t(f"dispatches.button_{yes_label}"),
        callback_data=CardCallback(action=confirmed, dispatch_id=dispatch.id),
    )
    builder.button(
        text=ctx.t("dispatches.button_no"),
        callback_data=CardCallback(action=CardAction.BACK, dispatch_id=dispatch.id),
    )
    text = f"{card.text}\n\n{ctx.t(question_key, id=dispatch.id)}"
    return Screen(text, builder.as_markup())
