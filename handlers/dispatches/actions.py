"""The dispatch card's buttons: Refresh, Cancel and Re-run (asked first), Follow, Unfollow.

Repeat belongs to the send feature. Callback data can be forged, so the role is checked
by filters here, who may change this dispatch by ``authority.py``, the question's "yes" by
its one-time token (``confirmation.py``) and the dispatch by the server: an unknown id
gets its "not found". Whoever cancels or re-runs someone else's dispatch, its creator
hears of it.
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
from handlers.access.render import display_name, role_name
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.context import Context
from handlers.common.dispatch_reads import read_dispatch
from handlers.common.formatting import esc
from handlers.common.ids import is_api_id
from handlers.common.replies import (
    Screen,
    answer,
    edit_in_place,
    edit_quietly,
    explain_failure,
    show,
    tapped_message,
    tell_user,
)
from handlers.dispatches.authority import authority_over
from handlers.dispatches.confirmation import Command, ConfirmedCommand, redeem
from handlers.dispatches.following import follow
from handlers.dispatches.screens import (
    CONFIRMATIONS,
    card_screen,
    confirmation_keyboard,
    confirmation_screen,
)

# The "yes" of questions asked before "yes" carried a token: answered "ask again".
TOKENLESS_YES = {CardAction.CANCEL_CONFIRMED: "cancel", CardAction.RUN_CONFIRMED: "run"}
SENDERS_ONLY = {*CONFIRMATIONS, *TOKENLESS_YES}
# Refusals about the dispatch's status: shown on its refreshed card.
STATUS_REFUSALS = (DispatchCanNotBeCanceled, DispatchCanNotBeRun)


async def refuse_reader(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    command = TOKENLESS_YES.get(callback_data.action)
    if command is not None and is_api_id(callback_data.dispatch_id):
        await _audit_refusal(ctx, command, callback_data.dispatch_id, "forbidden")
    await answer(query, ctx.t("dispatches.not_allowed"), alert=True)


async def refuse_reader_yes(
    query: CallbackQuery, callback_data: ConfirmedCommand, ctx: Context
) -> None:
    if is_api_id(callback_data.dispatch_id):
        await _audit_refusal(
            ctx, callback_data.command.name_in_audit, callback_data.dispatch_id, "forbidden"
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
    if not (await authority_over(ctx, dispatch.id)).allowed:
        await answer(query, ctx.t("dispatches.not_yours"), alert=True)
        return
    await answer(query)
    screen = await confirmation_screen(ctx, dispatch, callback_data.action)
    message = tapped_message(query)
    if message is not None and _shows_card(message, dispatch.id):
        await edit_in_place(message, screen)
    else:
        # Asked from elsewhere (a not-enough-money alert): that message stays as it is.
        await ctx.bot.send_message(ctx.chat_id, screen.text, reply_markup=screen.keyboard)


async def tokenless_yes(query: CallbackQuery, callback_data: CardCallback, ctx: Context) -> None:
    """A "yes" without a token: an old question's, or made up. Nothing is done."""
    if is_api_id(callback_data.dispatch_id):
        command = TOKENLESS_YES[callback_data.action]
        await _audit_refusal(ctx, command, callback_data.dispatch_id, "unconfirmed")
    await answer(query, ctx.t("dispatches.ask_again"), alert=True)


async def confirmed(query: CallbackQuery, callback_data: ConfirmedCommand, ctx: Context) -> None:
    dispatch_id, command = callback_data.dispatch_id, callback_data.command
    if not is_api_id(dispatch_id):
        await answer(query, ctx.t("dispatches.not_found", id=dispatch_id), alert=True)
        return
    authority = await authority_over(ctx, dispatch_id)
    if not authority.allowed:  # the rule changed since the question, or forged data
        await _audit_refusal(ctx, command.name_in_audit, dispatch_id, "forbidden")
        await answer(query, ctx.t("dispatches.not_yours"), alert=True)
        return
    if not await redeem(ctx, callback_data):  # used, expired, or never issued to this user
        await _audit_refusal(ctx, command.name_in_audit, dispatch_id, "unconfirmed")
        await answer(query, ctx.t("dispatches.ask_again"), alert=True)
        return
    # A POST is not cut short (its outcome would be unknown): answer first.
    await answer(query, ctx.t("dispatches.working"))
    call = ctx.sms.cancel_dispatch if command is Command.CANCEL else ctx.sms.run_dispatch
    try:
        await call(dispatch_id)
    except SmsApiError as error:
        await _audit(ctx, command.name_in_audit, dispatch_id, error)
        reason = await explain_failure(ctx, error, dispatch_id)
        if not isinstance(error, STATUS_REFUSALS):
            # Not found, or no answer: the question stays, with a fresh "yes" to try again.
            await edit_quietly(
                tapped_message(query), None, await confirmation_keyboard(ctx, command, dispatch_id)
            )
            await ctx.bot.send_message(ctx.chat_id, reason)
            return
        notice = ctx.t("dispatches.refused", reason=reason)
    else:
        await _audit(ctx, command.name_in_audit, dispatch_id, None)
        # A cancelled scheduled dispatch or a re-run one changes now, not at its next check.
        if await ctx.store.dispatches.check_soon(dispatch_id) and command is Command.CANCEL:
            await _final_state_seen(ctx, dispatch_id)
        notice = ctx.t(
            "dispatches.canceled" if command is Command.CANCEL else "dispatches.run",
            id=dispatch_id,
        )
        await _tell_creator(ctx, authority.creator_id, command, dispatch_id)
    try:
        dispatch = await read_dispatch(ctx, dispatch_id)
    except SmsApiError as error:
        text = f"{notice}\n{await explain_failure(ctx, error, dispatch_id)}"
        await ctx.bot.send_message(ctx.chat_id, text)
        return
    await show(query, ctx, await card_screen(ctx, dispatch, notice))


async def _final_state_seen(ctx: Context, dispatch_id: int) -> None:
    """Whoever cancelled sees "cancelled" on the card they tapped: the poller sends them no
    copy of it as a final-state message (others following the dispatch still hear)."""
    notice = await ctx.store.notices.notice(dispatch_id, ctx.user_id)
    await ctx.store.notices.save(notice.but(final_sent=True))


async def _tell_creator(
    ctx: Context, creator_id: int | None, command: Command, dispatch_id: int
) -> None:
    """The creator hears, in their language, when someone else changed their dispatch."""
    if creator_id is None or creator_id == ctx.user_id:
        return
    name = esc(display_name(ctx.user, ctx.user_id))
    key = f"dispatches.told_creator_{command.name_in_audit}"
    await tell_user(
        ctx,
        creator_id,
        lambda ut: ut(key, id=dispatch_id, who=name, role=role_name(ut, ctx.role)),
    )


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
        return await read_dispatch(ctx, dispatch_id)
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


async def _audit_refusal(ctx: Context, command: str, dispatch_id: int, outcome: str) -> None:
    await ctx.store.audit.record(
        ctx.user_id,
        f"dispatch.{command}",
        dispatch_id=dispatch_id,
        details={"outcome": outcome, "role": str(ctx.role)},
    )


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
