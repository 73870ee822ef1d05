"""The dispatch card's buttons: Refresh, Cancel and Re-run (asked first), Follow, Unfollow.

Repeat belongs to the send feature. Callback data can be forged, so the role is checked
by filters here and the dispatch by the server: an unknown id gets its "not found".
"""

from __future__ import annotations

from aiogram import F, Router
from aiogram.types import CallbackQuery, Message

from core.sms import (
    Dispatch,
    DispatchCanNotBeCanceled,
    DispatchCanNotBeRun,
    SmsApiCodeError,
    SmsApiError,
)
from core.watch import check_soon
from handlers.common.callbacks import CardAction, CardCallback
from handlers.common.roles import can_send
from handlers.dispatches.card import CONFIRMATIONS, card_screen, confirmation_screen
from handlers.dispatches.desk import Desk
from handlers.dispatches.failures import as_alert, within_tap_budget
from handlers.dispatches.following import follow
from handlers.dispatches.ids import is_api_id
from handlers.dispatches.screens import Screen, edit_in_place, tapped_message

router = Router(name="dispatch_card_actions")

CONFIRMED = {CardAction.CANCEL_CONFIRMED: "cancel", CardAction.RUN_CONFIRMED: "run"}
SENDERS_ONLY = {*CONFIRMATIONS, *CONFIRMED}
# Refusals about the dispatch's status: shown on its refreshed card.
STATUS_REFUSALS = (DispatchCanNotBeCanceled, DispatchCanNotBeRun)


@router.callback_query(CardCallback.filter(F.action.in_(SENDERS_ONLY)), ~can_send)
async def refuse_reader(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    command = CONFIRMED.get(callback_data.action)
    if command is not None and is_api_id(callback_data.dispatch_id):
        await desk.store.audit.record(
            desk.user_id,
            f"dispatch.{command}",
            dispatch_id=callback_data.dispatch_id,
            details={"outcome": "forbidden", "role": str(desk.role)},
        )
    await query.answer(desk.t("dispatches.not_allowed"), show_alert=True)


@router.callback_query(CardCallback.filter(F.action == CardAction.REFRESH))
async def refresh(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    dispatch = await _fetch_or_answer(query, desk, callback_data.dispatch_id)
    if dispatch is None:
        return
    await _show(query, desk, await card_screen(desk, dispatch), answered=False)


@router.callback_query(CardCallback.filter(F.action == CardAction.BACK))
async def back_to_card(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    await refresh(query, callback_data, desk)


@router.callback_query(CardCallback.filter(F.action.in_(CONFIRMATIONS)))
async def ask_to_confirm(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    dispatch = await _fetch_or_answer(query, desk, callback_data.dispatch_id)
    if dispatch is None:
        return
    await query.answer()
    screen = await confirmation_screen(desk, dispatch, callback_data.action)
    message = tapped_message(query)
    if message is not None and _shows_card(message, dispatch.id):
        await edit_in_place(message, screen)
    else:
        # Asked from elsewhere (a not-enough-money alert): that message stays as it is.
        await desk.bot.send_message(query.from_user.id, screen.text, reply_markup=screen.keyboard)


@router.callback_query(CardCallback.filter(F.action.in_(CONFIRMED)))
async def confirmed(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    dispatch_id = callback_data.dispatch_id
    if not is_api_id(dispatch_id):
        await query.answer(
            as_alert(desk.t("dispatches.not_found", id=dispatch_id)), show_alert=True
        )
        return
    command = CONFIRMED[callback_data.action]
    # A POST is not cut short (its outcome would be unknown): answer first.
    await query.answer(desk.t("dispatches.working"))
    call = desk.sms.cancel_dispatch if command == "cancel" else desk.sms.run_dispatch
    try:
        await call(dispatch_id)
    except SmsApiError as error:
        await _audit(desk, command, dispatch_id, error)
        reason = await desk.explain(error, dispatch_id)
        if not isinstance(error, STATUS_REFUSALS):
            # Not found, or no answer: the tapped message stays as it is.
            await _send(query, desk, reason)
            return
        notice = desk.t("dispatches.refused", reason=reason)
    else:
        await _audit(desk, command, dispatch_id, None)
        # A cancelled scheduled dispatch or a re-run one changes now, not at its next check.
        await check_soon(desk.store, dispatch_id)
        notice = desk.t(
            "dispatches.canceled" if command == "cancel" else "dispatches.run", id=dispatch_id
        )
    try:
        dispatch = await within_tap_budget(desk.sms.dispatch(dispatch_id))
    except (SmsApiError, TimeoutError) as error:
        await _send(query, desk, f"{notice}\n{await desk.explain(error, dispatch_id)}")
        return
    await _show(query, desk, await card_screen(desk, dispatch, notice))


@router.callback_query(CardCallback.filter(F.action == CardAction.FOLLOW))
async def start_following(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    dispatch = await _fetch_or_answer(query, desk, callback_data.dispatch_id)
    if dispatch is None:
        return
    added = await follow(desk.store, dispatch, desk.user_id)
    key = "dispatches.followed" if added else "dispatches.already_followed"
    await query.answer(as_alert(desk.t(key, id=dispatch.id)))
    await _show(query, desk, await card_screen(desk, dispatch))


@router.callback_query(CardCallback.filter(F.action == CardAction.UNFOLLOW))
async def stop_following(query: CallbackQuery, callback_data: CardCallback, desk: Desk) -> None:
    dispatch_id = callback_data.dispatch_id
    if is_api_id(dispatch_id):
        await desk.store.subscriptions.unsubscribe(dispatch_id, desk.user_id)
    dispatch = await _fetch_or_answer(query, desk, dispatch_id)
    if dispatch is None:
        return
    await query.answer(as_alert(desk.t("dispatches.unfollowed", id=dispatch_id)))
    await _show(query, desk, await card_screen(desk, dispatch))


async def _fetch_or_answer(query: CallbackQuery, desk: Desk, dispatch_id: int) -> Dispatch | None:
    """The dispatch as the server has it now; None once the tap is answered with why not."""
    if not is_api_id(dispatch_id):
        await query.answer(
            as_alert(desk.t("dispatches.not_found", id=dispatch_id)), show_alert=True
        )
        return None
    try:
        return await within_tap_budget(desk.sms.dispatch(dispatch_id))
    except (SmsApiError, TimeoutError) as error:
        await query.answer(as_alert(await desk.explain(error, dispatch_id)), show_alert=True)
        return None


async def _show(query: CallbackQuery, desk: Desk, screen: Screen, *, answered: bool = True) -> None:
    """Edit the tapped message to ``screen``; an unchanged one is left alone and, if the
    tap is not answered yet, answered with "no changes"."""
    message = tapped_message(query)
    if message is None:
        if not answered:
            await query.answer(as_alert(desk.t("dispatches.message_gone")))
        await desk.bot.send_message(query.from_user.id, screen.text, reply_markup=screen.keyboard)
        return
    edited = await edit_in_place(message, screen)
    if not answered:
        await query.answer(None if edited else desk.t("dispatches.no_changes"))


def _shows_card(message: Message, dispatch_id: int) -> bool:
    """Whether the message is this dispatch's card (or its question): it has Refresh or No."""
    own = {
        CardCallback(action=action, dispatch_id=dispatch_id).pack()
        for action in (CardAction.REFRESH, CardAction.BACK)
    }
    rows = message.reply_markup.inline_keyboard if message.reply_markup else []
    return any(button.callback_data in own for row in rows for button in row)


async def _send(query: CallbackQuery, desk: Desk, text: str) -> None:
    await desk.bot.send_message(query.from_user.id, text)


async def _audit(desk: Desk, command: str, dispatch_id: int, error: SmsApiError | None) -> None:
    if error is None:
        details: dict[str, str] = {"outcome": "done"}
    elif isinstance(error, SmsApiCodeError):
        details = {"outcome": "refused", "code": error.code}
    else:
        details = {"outcome": "failed", "error": type(error).__name__}
    await desk.store.audit.record(
        desk.user_id, f"dispatch.{command}", dispatch_id=dispatch_id, details=details
    )
