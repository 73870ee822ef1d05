"""The dispatch card's buttons: Refresh, Cancel and Re-run (asked first), Follow, Unfollow.

Repeat belongs to the send feature. Callback data can be forged, so the role is checked
by filters here and the dispatch by the server: an unknown id gets its "not found".
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from core.sms import (
    Dispatch,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    SmsApiCodeError,
    SmsApiError,
)
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.context import Context
from handlers.common.ids import is_api_id
from handlers.common.replies import (
    Screen,
    answer,
    edit_in_place,
    explain_failure,
    show,
    tapped_message,
    within_tap_budget,
)
from handlers.dispatches.following import follow
from handlers.dispatches.screens import CONFIRMATIONS, card_screen, confirmation_screen

CONFIRMED = {CardAction.CANCEL_CONFIRMED: "cancel", CardAction.RUN_CONFIRMED: "run"}
SENDERS_ONLY = {*CONFIRMATIONS, *CONFIRMED}
# Refusals about the dispatch's status: shown on its refreshed card.
STATUS_REFUSALS = (DispatchCanNotBeCanceled, DispatchCanNotBeRun)


async def refuse_reader(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    command = CONFIRMED.get(callback_data.action)
    if command is not None and is_api_id(callback_data.dispatch_id):
        await ctx.store.audit.record(
            ctx.user_id,
            f"dispatch.{command}",
            dispatch_id=callback_data.dispatch_id,
            details={"outcome": "forbidden", "role": str(ctx.role)},
        )
    await answer(query, ctx.t("dispatches.not_allowed"), alert=True)


async def refresh(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    dispatch = await _fetch_or_answer(query, ctx, callback_data.dispatch_id)
    if dispatch is None:
        return
    await _show_answering(query, ctx, await card_screen(ctx, dispatch))


async def ask_to_confirm(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    dispatch = await _fetch_or_answer(query, ctx, callback_data.dispatch_id)
    if dispatch is None:
        return
    await answer(query)
    screen = await confirmation_screen(ctx, dispatch, callback_data.action)
    message = tapped_message(query)
    if message is not None and _shows_card(message, dispatch.id):
        await edit_in_place(message, screen)
    else:
        # Asked from elsewhere (a not-enough-money alert): that message stays as it is.
        await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)


async def confirmed(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    dispatch_id = callback_data.dispatch_id
    if not is_api_id(dispatch_id):
        await answer(query, ctx.t("dispatches.not_found", id=dispatch_id), alert=True)
        return
    command = CONFIRMED[callback_data.action]
    # A POST is not cut short (its outcome would be unknown): answer first.
    await answer(query, ctx.t("dispatches.working"))
    call = ctx.sms.cancel_dispatch if command == "cancel" else ctx.sms.run_dispatch
    try:
        await call(dispatch_id)
    except SmsApiError as error:
        await _audit(ctx, command, dispatch_id, error)
        reason = await explain_failure(ctx, error, dispatch_id)
        if not isinstance(error, STATUS_REFUSALS):
            # Not found, or no answer: the tapped message stays as it is.
            await ctx.bot.send_message(ctx.chat_id, reason)
            return
        notice = ctx.t("dispatches.refused", reason=reason)
    else:
        await _audit(ctx, command, dispatch_id, None)
        # A cancelled scheduled dispatch or a re-run one changes now, not at its next check.
        await ctx.store.dispatches.check_soon(dispatch_id)
        notice = ctx.t(
            "dispatches.canceled" if command == "cancel" else "dispatches.run", id=dispatch_id
        )
    try:
        dispatch = await within_tap_budget(ctx.sms.dispatch(dispatch_id))
    except SmsApiError as error:
        text = f"{notice}\n{await explain_failure(ctx, error, dispatch_id)}"
        await ctx.bot.send_message(ctx.chat_id, text)
        return
    await show(query, ctx, await card_screen(ctx, dispatch, notice))


async def start_following(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    dispatch = await _fetch_or_answer(query, ctx, callback_data.dispatch_id)
    if dispatch is None:
        return
    added = await follow(ctx.store, dispatch, ctx.user_id)
    key = "dispatches.followed" if added else "dispatches.already_followed"
    await answer(query, ctx.t(key, id=dispatch.id))
    await show(query, ctx, await card_screen(ctx, dispatch))


async def stop_following(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    dispatch_id = callback_data.dispatch_id
    if is_api_id(dispatch_id):
        await ctx.store.subscriptions.unsubscribe(dispatch_id, ctx.user_id)
    dispatch = await _fetch_or_answer(query, ctx, dispatch_id)
    if dispatch is None:
        return
    await answer(query, ctx.t("dispatches.unfollowed", id=dispatch_id))
    await show(query, ctx, await card_screen(ctx, dispatch))


async def _fetch_or_answer(query: CallbackQuery, ctx: Context, dispatch_id: int) -> Dispatch | None:
    """The dispatch as the server has it now; None once the tap is answered with why not."""
    if not is_api_id(dispatch_id):
        await answer(query, ctx.t("dispatches.not_found", id=dispatch_id), alert=True)
        return None
    try:
        return await within_tap_budget(ctx.sms.dispatch(dispatch_id))
    except SmsApiError as error:
        await answer(query, await explain_failure(ctx, error, dispatch_id), alert=True)
        return None


async def _show_answering(query: CallbackQuery, ctx: Context, screen: Screen) -> None:
    """Show ``screen`` in the tapped message and answer the tap: "no changes" when the
    message already showed it, "message gone" when a new one had to be sent."""
    message = tapped_message(query)
    if message is None:
        await answer(query, ctx.t("dispatches.message_gone"))
        await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)
        return
    edited = await edit_in_place(message, screen)
    await answer(query, None if edited else ctx.t("dispatches.no_changes"))


def _shows_card(message: Message, dispatch_id: int) -> bool:
    """Whether the message is this dispatch's card (or its question): it has Refresh or No."""
    own = {
        CardCallback(action=action, dispatch_id=dispatch_id).pack()
        for action in (CardAction.REFRESH, CardAction.BACK)
    }
    rows = message.reply_markup.inline_keyboard if message.reply_markup else []
    return any(button.callback_data in own for row in rows for button in row)


async def _audit(ctx: Context, command: str, dispatch_id: int, error: SmsApiError | None) -> None:
    if error is None:
        details: dict[str, str] = {"outcome": "done"}
    elif isinstance(error, SmsApiCodeError):
        details = {"outcome": "refused", "code": error.code}
    else:
        details = {"outcome": "failed", "error": type(error).__name__}
    await ctx.store.audit.record(
        ctx.user_id, f"dispatch.{command}", dispatch_id=dispatch_id, details=details
    )
