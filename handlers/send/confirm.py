"""Confirm: exactly one dispatch per draft, however often the button arrives, and the
summary becomes the dispatch's card, the one message that follows it to the end.

A repeated tap is a toast; the first is answered at once, then
:func:`core.sending.send_draft` decides in SQLite who sends. A refusal that leaves the
draft open puts the reason on the step that can fix it, in the same message. A manager's
send above the admins' limits is held instead: the summary says it waits, without a
button, and the admins are asked (``handlers/approval/``).
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress

from aiogram.fsm.state import State
from aiogram.types import CallbackQuery, Message

from core.approval_rules import Hold, approval_rule
from core.created import DATABASE_FAILURES
from core.sending import (
    AccessRejected,
    AlreadyHandled,
    AwaitingApproval,
    Incomplete,
    LooksRepeated,
    NoRecipients,
    OutcomeUnknown,
    Refused,
    SendOutcome,
    SendTimePassed,
    Sent,
    ServiceDown,
    send_draft,
)
from core.sms import (
    AddressBookNotFound,
    Dispatch,
    InvalidDispatchDate,
    InvalidFormat,
    SmsApiError,
)
from core.watch.statuses import render_key
from handlers.approval.board import announce
from handlers.approval.render import waiting_line
from handlers.common.formatting import format_moment
from handlers.common.replies import answer, edit_quietly, tapped_message, tell_admins_token_rejected
from handlers.common.sms_errors import describe_sms_error
from handlers.notify.render import live_card
from handlers.send import render
from handlers.send.callbacks import ConfirmCallback
from handlers.send.flow import SendFlow
from handlers.send.states import DRAFT_ID, EDITING, SendForm
from storage import Draft, DraftState, Notice, Role

log = logging.getLogger(__name__)

# A create may take up to ~25 s; after this long the user is told it is still going.
SLOW_CREATE_NOTICE_SECONDS = 5.0
CARD_WAIT_SECONDS = 5.0
# How long the summary may keep its buttons after Confirm while the create is under way.
BUTTONS_STAY_SECONDS = 1.5
# Outcomes whose showing edits the summary itself (a tap that lost the race leaves the
# summary to the tap that won).
EDITS_THE_SUMMARY = (Sent, OutcomeUnknown, AwaitingApproval, AlreadyHandled)


async def confirmed(query: CallbackQuery, callback_data: ConfirmCallback, flow: SendFlow) -> None:
    draft = await flow.store.drafts.get(callback_data.draft_id)
    if draft is None or draft.user_id != flow.ctx.user_id:
        return await answer(query, flow.t("send.draft_gone"), alert=True)
    if draft.state is not DraftState.PENDING:
        return await answer(query, _already_handled(flow, draft.state, draft.dispatch_id))
    if await flow.store.approvals.open_for_draft(draft.id) is not None:
        return await answer(query, flow.t("send.already_waiting"))
    await answer(query, flow.t("send.sending"))
    summary = tapped_message(query)
    # The reason a previous try failed goes: it is no longer what is happening.
    base = render.without_error(summary.html_text) if summary is not None else ""
    sending = asyncio.ensure_future(
        send_draft(
            flow.store,
            flow.sms,
            draft.id,
            actor_id=flow.ctx.user_id,
            describe_numbers=lambda count: flow.t.plural("send.n_numbers", count),
            clock=flow.ctx.clock,
            hold=await _hold(flow, summary),
            repeat_confirmed=callback_data.again,
        )
    )
    # The buttons go (nothing to tap twice) unless the outcome comes first and edits the
    # summary anyway; a tap meanwhile finds the draft being sent and is a toast.
    buttons_stay = min(BUTTONS_STAY_SECONDS, SLOW_CREATE_NOTICE_SECONDS)
    done, _ = await asyncio.wait({sending}, timeout=buttons_stay)
    if not done:
        await edit_quietly(summary, base)
        waited = SLOW_CREATE_NOTICE_SECONDS - buttons_stay
        done, _ = await asyncio.wait({sending}, timeout=waited)
        if not done:
            await edit_quietly(summary, f"{base}\n\n{flow.t('send.still_waiting')}")
    elif not isinstance(sending.result(), EDITS_THE_SUMMARY):
        await edit_quietly(summary, base)
    outcome = await sending
    await show_outcome(flow, outcome, draft.id, summary, base)


async def show_outcome(
    flow: SendFlow, outcome: SendOutcome, draft_id: str, summary: Message | None, base: str
) -> None:
    t = flow.t
    match outcome:
        case Sent(dispatch_id=None):
            await _close_conversation(flow, draft_id)
            await edit_quietly(summary, f"{base}\n\n{t('send.created_unnumbered')}")
        case Sent(recorded=False, dispatch_id=dispatch_id):
            await _show_unrecorded(flow, draft_id, dispatch_id, summary, base)
        case Sent(dispatch_id=int() as dispatch_id, recipients_desc=recipients):
            await _close_conversation(flow, draft_id)
            await _become_the_card(flow, dispatch_id, recipients, summary, base)
        case AlreadyHandled():
            pass  # a tap at the same moment won: it shows the outcome
        case OutcomeUnknown():
            await _close_conversation(flow, draft_id)
            await edit_quietly(summary, f"{base}\n\n{t('send.outcome_unknown')}")
        case ServiceDown(error=error):
            await _back_to(flow, draft_id, SendForm.summary, describe_sms_error(error, t))
        case Refused(error=error):
            await _back_to(flow, draft_id, _step_that_fixes(error), describe_sms_error(error, t))
        case AccessRejected(error=error):
            await _back_to(flow, draft_id, SendForm.summary, describe_sms_error(error, t))
            await tell_admins_token_rejected(flow.ctx)
        case NoRecipients(stopped=stopped) if stopped:
            await _back_to(flow, draft_id, SendForm.recipients, render.all_stopped(t, stopped))
        case NoRecipients():
            await _back_to(flow, draft_id, SendForm.recipients, t("send.book_now_empty"))
        case AwaitingApproval(request=request):
            await _close_conversation(flow, draft_id)
            await edit_quietly(summary, f"{base}\n\n{waiting_line(t, request, flow.ctx.tz)}")
            await announce(flow.ctx, request)
        case SendTimePassed():
            await _back_to(flow, draft_id, SendForm.time, t("send.time_passed"))
        case LooksRepeated():
            # The summary again, now with the earlier send and "Send again" (a summary
            # shown before the first send went out did not know of it).
            await _back_to(flow, draft_id, SendForm.summary, None)
        case Incomplete():
            await flow.say(t("send.draft_gone"))


async def _hold(flow: SendFlow, summary: Message | None) -> Hold | None:
    """A manager's send is held above the admins' limits; an admin's own never is (none
    approves their own: core/approval_rules.py)."""
    if flow.ctx.role is not Role.MANAGER:
        return None
    rule = await approval_rule(flow.store)
    if rule is None:
        return None
    return Hold(rule, summary.message_id if summary is not None else None)


def _step_that_fixes(error: SmsApiError) -> State:
    if isinstance(error, InvalidDispatchDate):
        return SendForm.time
    if isinstance(error, InvalidFormat | AddressBookNotFound):
        return SendForm.recipients
    return SendForm.summary


def _already_handled(flow: SendFlow, state: DraftState, dispatch_id: int | None) -> str:
    if state is DraftState.SENT:
        if dispatch_id is None:
            return flow.t("send.already_sent_unnumbered")
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


async def _show_unrecorded(
    flow: SendFlow, draft_id: str, dispatch_id: int | None, summary: Message | None, base: str
) -> None:
    """Created at the operator, but the database refused to record it: the person reads
    the number in the message (the tap was answered long ago), and that it is kept."""
    with suppress(*DATABASE_FAILURES):  # the conversation lives in the same database
        await _close_conversation(flow, draft_id)
    number = dispatch_id if dispatch_id is not None else "?"
    text = f"{base}\n\n{flow.t('send.not_recorded', id=number)}"
    if not await edit_quietly(summary, text):
        await flow.say(text)


async def _back_to(flow: SendFlow, draft_id: str, step: State, error: str | None) -> None:
    """The draft is pending again: the step that can fix it, with why, in place."""
    if (await flow.data()).get(DRAFT_ID) != draft_id:
        return  # the user has moved on to another draft
    draft: Draft | None = await flow.draft()
    if draft is None:
        return await flow.gone()
    if step != SendForm.summary:
        await flow.state.update_data({EDITING: True})
    await flow.show(step, draft, error=error)


async def _become_the_card(
    flow: SendFlow, dispatch_id: int, recipients: str, summary: Message | None, base: str
) -> None:
    """The summary turns into the dispatch's card, and that card is the message the
    poller edits as the dispatch moves (the creator's status message)."""
    t = flow.t
    try:
        async with asyncio.timeout(CARD_WAIT_SECONDS):
            dispatch = await flow.sms.dispatch(dispatch_id)
    except (SmsApiError, TimeoutError) as error:
        log.info("Card of new dispatch %d not fetched: %s", dispatch_id, type(error).__name__)
        await edit_quietly(summary, f"{base}\n\n{t('send.sent_line', id=dispatch_id)}")
        return
    text, keyboard = live_card(
        t, dispatch, recipients, flow.ctx.role, flow.ctx.tz,
        made_here=True, notice=_created_line(flow, dispatch),
    )  # fmt: skip
    if summary is None or not await edit_quietly(summary, text, keyboard):
        summary = await flow.say(text, keyboard)
    await flow.store.notices.save(
        Notice(dispatch_id, flow.ctx.user_id, summary.message_id, render_key(dispatch))
    )


def _created_line(flow: SendFlow, dispatch: Dispatch) -> str:
    """ "Scheduled for ..." for a dispatch that waits for its time, "sent" only when it is."""
    if dispatch.date_send > flow.ctx.now():
        moment = format_moment(dispatch.date_send, flow.ctx.tz)
        return flow.t("send.scheduled_line", id=dispatch.id, moment=moment)
    return flow.t("send.sent_line", id=dispatch.id)
