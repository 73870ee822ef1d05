"""Confirm: exactly one dispatch per draft, however often the button arrives.

The callback is answered first; :func:`core.sending.send_draft` then decides in
SQLite who sends. Only its outcome is rendered here.
"""

from __future__ import annotations

import asyncio
import logging

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from core.sending import (
    AccessRejected,
    AlreadyHandled,
    Incomplete,
    NoRecipients,
    OutcomeUnknown,
    Refused,
    SendOutcome,
    SendTimePassed,
    Sent,
    ServiceDown,
    send_draft,
)
from core.sms import AddressBookNotFound, InvalidDispatchDate, InvalidFormat, SmsApiError
from handlers.common.card import card_keyboard, card_text
from handlers.common.menu import main_menu
from handlers.common.replies import answer, edit_quietly, tapped_message
from handlers.common.sms_errors import describe_sms_error
from handlers.send.callbacks import ConfirmCallback
from handlers.send.flow import SendFlow
from handlers.send.states import DRAFT_ID, SendForm
from storage import DraftState

log = logging.getLogger(__name__)

# A create may take up to ~25 s; after this long the user is told it is still going.
SLOW_CREATE_NOTICE_SECONDS = 5.0
CARD_WAIT_SECONDS = 5.0


async def confirmed(query: CallbackQuery, callback_data: ConfirmCallback, flow: SendFlow) -> None:
    await answer(query, flow.t("send.sending"))
    summary = tapped_message(query)
    base = summary.html_text if summary is not None else ""
    sending = asyncio.ensure_future(
        send_draft(
            flow.store,
            flow.sms,
            callback_data.draft_id,
            actor_id=flow.ctx.user_id,
            describe_numbers=lambda count: flow.t.plural("send.n_numbers", count),
            clock=flow.ctx.clock,
        )
    )
    done, _ = await asyncio.wait({sending}, timeout=SLOW_CREATE_NOTICE_SECONDS)
    if not done:
        await edit_quietly(summary, f"{base}\n\n{flow.t('send.still_waiting')}")
    outcome = await sending
    await show_outcome(flow, outcome, callback_data.draft_id, summary, base)


async def show_outcome(
    flow: SendFlow, outcome: SendOutcome, draft_id: str, summary: Message | None, base: str
) -> None:
    t = flow.t
    match outcome:
        case Sent(dispatch_id=None):
            await _close_conversation(flow, draft_id)
            await edit_quietly(summary, f"{base}\n\n{t('send.created_line')}")
            await flow.say(t("send.created_unnumbered"), main_menu(t, flow.ctx.role))
        case Sent(dispatch_id=int() as dispatch_id, recipients_desc=recipients):
            await _close_conversation(flow, draft_id)
            await edit_quietly(summary, f"{base}\n\n{t('send.sent_line', id=dispatch_id)}")
            await _show_card(flow, dispatch_id, recipients)
        case AlreadyHandled(state=state, dispatch_id=dispatch_id):
            await flow.say(_already_handled(flow, state, dispatch_id))
        case OutcomeUnknown():
            await _close_conversation(flow, draft_id)
            await edit_quietly(summary, f"{base}\n\n{t('send.unknown_line')}")
            await flow.say(t("send.outcome_unknown"), main_menu(t, flow.ctx.role))
        case ServiceDown(error=error):
            await flow.say(describe_sms_error(error, t))
            await _back_to(flow, draft_id, SendForm.summary)
        case Refused(error=error):
            await flow.say(describe_sms_error(error, t))
            await _back_to(flow, draft_id, _step_that_fixes(error))
        case AccessRejected(error=error):
            await flow.report_error(error)
        case NoRecipients():
            await flow.say(t("send.book_now_empty"))
            await _back_to(flow, draft_id, SendForm.recipients)
        case SendTimePassed():
            await flow.say(t("send.time_passed"))
            await _back_to(flow, draft_id, SendForm.time)
        case Incomplete():
            await flow.say(t("send.draft_gone"))


def _step_that_fixes(error: SmsApiError) -> State:
    if isinstance(error, InvalidDispatchDate):
        return SendForm.time
    if isinstance(error, InvalidFormat | AddressBookNotFound):
        return SendForm.recipients
    return SendForm.summary


def _already_handled(flow: SendFlow, state: DraftState, dispatch_id: int | None) -> str:
    if state is DraftState.SENT and dispatch_id is not None:
        return flow.t("send.already_sent", id=dispatch_id)
    if state is DraftState.SENDING:
        return flow.t("send.already_sending")
    if state is DraftState.UNKNOWN:
        return flow.t("send.already_unknown")
    return flow.t("send.draft_gone")


async def _close_conversation(flow: SendFlow, draft_id: str) -> None:
    """The draft is done: the conversation ends if it is still about this draft."""
    if (await flow.data()).get(DRAFT_ID) == draft_id:
        await flow.finish()


async def _back_to(flow: SendFlow, draft_id: str, step: State) -> None:
    """The draft is pending again: reopen the step that can fix what went wrong."""
    if (await flow.data()).get(DRAFT_ID) != draft_id:
        return  # the user has moved on to another draft
    draft = await flow.draft()
    if draft is None:
        return await flow.gone()
    if step == SendForm.summary:
        await flow.show_summary(draft)
    else:
        await flow.edit_step(step, draft)


async def _show_card(flow: SendFlow, dispatch_id: int, recipients: str) -> None:
    try:
        async with asyncio.timeout(CARD_WAIT_SECONDS):
            dispatch = await flow.sms.dispatch(dispatch_id)
    except (SmsApiError, TimeoutError) as error:
        log.info("Card of new dispatch %d not fetched: %s", dispatch_id, type(error).__name__)
        await flow.say(
            flow.t("send.created_short", id=dispatch_id), main_menu(flow.t, flow.ctx.role)
        )
        return
    await flow.say(
        card_text(flow.t, dispatch, flow.ctx.tz, recipients),
        card_keyboard(flow.t, dispatch, flow.ctx.role, following=True, can_repeat=True),
    )
