"""An admin's taps on a request: Approve (sends once, through the same guarded path as a
confirm), Reject (a reason's buttons, then the rejection), Back.

Callback data can be forged: the router lets admins only, and the rule that nobody
decides their own request is checked here and again in SQL (``storage/approvals.py``).
"""

from __future__ import annotations

from aiogram.types import CallbackQuery

from core.approval import (
    Claimed,
    ClaimOutcome,
    OwnRequest,
    RequestExpired,
    claim,
    expire,
    reject,
    send_approved,
)
from core.approval_rules import approval_rule
from core.sending import (
    AccessRejected,
    NoRecipients,
    OutcomeUnknown,
    Refused,
    SendOutcome,
    Sent,
    ServiceDown,
)
from handlers.access.render import display_name
from handlers.approval import render
from handlers.approval.board import write_outcome
from handlers.approval.callbacks import ApprovalCallback, RejectReason
from handlers.approval.expiry import tell_expired
from handlers.approval.requester import become_card, tell_closed
from handlers.common.context import Context
from handlers.common.formatting import esc
from handlers.common.i18n import Translator, user_translator
from handlers.common.replies import (
    answer,
    edit_quietly,
    tapped_message,
    tell_admins_token_rejected,
)
from handlers.common.sms_errors import describe_sms_error
from storage import ApprovalRequest, ApprovalState

REASONS = frozenset(reason.value for reason in RejectReason)


async def approve_tapped(
    query: CallbackQuery, callback_data: ApprovalCallback, ctx: Context
) -> None:
    request = await _open_request(query, callback_data, ctx)
    if request is None:
        return
    # Claimed before the tap is answered: of two admins at once, the second hears at
    # once that the other one is sending it, never "Sending…".
    claimed = await claim(ctx.store, request.id, approver_id=ctx.user_id, clock=ctx.clock)
    if not isinstance(claimed, Claimed):
        return await _not_claimed(ctx, query, request, claimed)
    await answer(query, ctx.t("approval.sending"))
    await edit_quietly(tapped_message(query), markup=None)  # nothing to tap while it goes
    requester_t = user_translator(await ctx.store.users.get(request.requester_id))
    approved = await send_approved(
        ctx.store, ctx.sms, claimed, approver_id=ctx.user_id,
        describe_numbers=lambda count: requester_t.plural("send.n_numbers", count),
        clock=ctx.clock,
    )  # fmt: skip
    match approved.outcome:
        case Sent() | OutcomeUnknown() as sent:
            await _approved(ctx, approved.request, sent)
        case refusal:
            # Nothing was created: the request waits again, with why, on this message.
            error = await _refusal(ctx, refusal)
            await _show_request(ctx, query, approved.request, error=error)


async def reject_tapped(
    query: CallbackQuery, callback_data: ApprovalCallback, ctx: Context
) -> None:
    """Reject: the reasons to pick from, in place of the request's buttons."""
    request = await _open_request(query, callback_data, ctx)
    if request is None:
        return
    await answer(query)
    await edit_quietly(tapped_message(query), markup=render.reasons_keyboard(ctx.t, request.id))


async def back_tapped(query: CallbackQuery, callback_data: ApprovalCallback, ctx: Context) -> None:
    request = await _open_request(query, callback_data, ctx)
    if request is None:
        return
    await answer(query)
    await edit_quietly(tapped_message(query), markup=render.request_keyboard(ctx.t, request.id))


async def reason_tapped(
    query: CallbackQuery, callback_data: ApprovalCallback, ctx: Context
) -> None:
    if callback_data.reason not in REASONS:
        return await answer(query, ctx.t("approval.stale_button"), alert=True)
    request = await _open_request(query, callback_data, ctx)
    if request is None:
        return
    reason = None if callback_data.reason == RejectReason.NONE.value else callback_data.reason
    outcome = await reject(ctx.store, request.id, admin_id=ctx.user_id, reason=reason)
    if not isinstance(outcome, ApprovalRequest):
        # Between the check and the rejection another admin decided, or the time ran out.
        return await answer(query, await _why_closed(ctx, request.id), alert=True)
    await answer(query, ctx.t("approval.rejected_toast"))
    admin = display_name(ctx.user, ctx.user_id)
    await write_outcome(
        ctx.outbox, ctx.store, ctx.settings, outcome,
        lambda t: render.rejected_line(t, admin, reason),
    )  # fmt: skip
    await tell_closed(
        ctx.outbox, ctx.store, ctx.settings, outcome,
        lambda t: t("approval.told_rejected", admin=esc(admin),
                    reason=render.reason_text(t, reason)),
    )  # fmt: skip


async def not_allowed(query: CallbackQuery, ctx: Context) -> None:
    await answer(query, ctx.t("admin.not_allowed"), alert=True)


# -- inside ---------------------------------------------------------------------------


async def _open_request(
    query: CallbackQuery, callback_data: ApprovalCallback, ctx: Context
) -> ApprovalRequest | None:
    """The request if this admin may decide it now; else the tap is answered with why."""
    request = await ctx.store.approvals.get(callback_data.request)
    if request is None:
        await answer(query, ctx.t("approval.gone"), alert=True)
        return None
    if request.requester_id == ctx.user_id:
        await answer(query, ctx.t("approval.own_request"), alert=True)
        return None
    if request.state is ApprovalState.WAITING and request.expires_at <= ctx.now():
        await answer(query, ctx.t("approval.expired_toast"), alert=True)
        await _expire_now(ctx, request)
        return None
    if request.state is not ApprovalState.WAITING:
        await answer(query, await _why_closed(ctx, request.id), alert=True)
        return None
    return request


async def _expire_now(ctx: Context, request: ApprovalRequest) -> None:
    expired = await expire(ctx.store, request.id)
    if expired is not None:
        await tell_expired(ctx.outbox, ctx.store, ctx.settings, expired)


async def _not_claimed(
    ctx: Context, query: CallbackQuery, request: ApprovalRequest, outcome: ClaimOutcome
) -> None:
    """Between the check and the claim another admin took it, or its time ran out: the
    toast says which, and nothing is sent."""
    match outcome:
        case RequestExpired(request=expired, just_now=just_now):
            await answer(query, ctx.t("approval.expired_toast"), alert=True)
            if just_now:
                await tell_expired(ctx.outbox, ctx.store, ctx.settings, expired)
        case OwnRequest():
            await answer(query, ctx.t("approval.own_request"), alert=True)
        case _:
            await answer(query, await _why_closed(ctx, request.id), alert=True)


async def _why_closed(ctx: Context, request_id: int) -> str:
    t = ctx.t
    request = await ctx.store.approvals.get(request_id)
    if request is None:
        return t("approval.gone")
    if request.state is ApprovalState.APPROVING:
        return t("approval.being_sent")
    if request.state is ApprovalState.EXPIRED:
        return t("approval.expired_toast")
    decider = await _name(ctx, request.decided_by)
    if request.state is ApprovalState.APPROVED:
        if request.dispatch_id is None:
            return t("approval.already_approved_unnumbered", admin=decider)
        return t("approval.already_approved", admin=decider, id=request.dispatch_id)
    if request.state is ApprovalState.REJECTED:
        return t("approval.already_rejected", admin=decider)
    return t("approval.gone")


async def _name(ctx: Context, user_id: int | None) -> str:
    if user_id is None:
        return "—"
    return display_name(await ctx.store.users.get(user_id), user_id)


async def _approved(ctx: Context, request: ApprovalRequest, sent: SendOutcome) -> None:
    """Every admin's message says who approved it; the requester's summary becomes the
    card (or says the create's outcome is not known)."""
    admin = display_name(ctx.user, ctx.user_id)
    store, outbox, settings = ctx.store, ctx.outbox, ctx.settings

    def line(t: Translator) -> str:
        if isinstance(sent, Sent):
            return render.approved_line(t, admin, sent.dispatch_id)
        return render.unknown_line(t, admin)

    await write_outcome(outbox, store, settings, request, line)
    if isinstance(sent, Sent) and sent.dispatch_id is not None:
        await become_card(
            outbox, store, ctx.sms, settings, ctx.clock, request, sent.dispatch_id,
            sent.recipients_desc, admin,
        )  # fmt: skip
        return
    key = "send.created_unnumbered" if isinstance(sent, Sent) else "send.outcome_unknown"
    await tell_closed(
        outbox, store, settings, request,
        lambda t: f"{render.approved_notice(t, admin)}\n{t(key)}",
    )  # fmt: skip


async def _refusal(ctx: Context, outcome: SendOutcome) -> str:
    t = ctx.t
    match outcome:
        case NoRecipients(stopped=stopped) if stopped:
            return t.plural("send.all_stopped", stopped)
        case NoRecipients():
            return t("send.book_now_empty")
        case AccessRejected(error=error):
            await tell_admins_token_rejected(ctx)
            return describe_sms_error(error, t)
        case ServiceDown(error=error) | Refused(error=error):
            return describe_sms_error(error, t)
    return t("approval.not_sent")


async def _show_request(
    ctx: Context, query: CallbackQuery, request: ApprovalRequest, *, error: str
) -> None:
    """The tapped request again, with why the tap did nothing, and its buttons if it
    still waits."""
    draft = await ctx.store.drafts.get(request.draft_id)
    current = await ctx.store.approvals.get(request.id) or request
    if draft is None:
        return
    requester = await ctx.store.users.get(current.requester_id)
    text = render.request_text(
        ctx.t, current, draft, requester, ctx.tz, await approval_rule(ctx.store)
    )
    waiting = current.state is ApprovalState.WAITING
    markup = render.request_keyboard(ctx.t, current.id) if waiting else None
    await edit_quietly(tapped_message(query), f"{text}\n\n❗️ {error}", markup)
