"""An admin taps Approve or Deny on an access request.

The request is decided once in SQLite (two admins tapping at once: one wins, the other is
told who decided), the user hears it in their own language, the audit log keeps it and
the admins' boards are redrawn. ``decide_request`` serves the buttons of a request's own
message (as the bot sent them before the boards); the list's are in ``pending.py``.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, ReplyKeyboardRemove

from handlers.access.board import PendingBoard
from handlers.access.callbacks import AccessDecision
from handlers.access.render import decision_line, display_name, request_text, role_name
from handlers.common.context import Context
from handlers.common.menu import main_menu
from handlers.common.replies import answer, edit_quietly, tapped_message, tell_user
from storage import AccessRequest, Role


async def decide_request(
    query: CallbackQuery, callback_data: AccessDecision, ctx: Context, pending_board: PendingBoard
) -> None:
    decided = await decide(ctx, query, callback_data.request_id, callback_data.decision.role)
    if decided is None:
        await _show_earlier_decision(query, callback_data.request_id, ctx)
        return
    await _show_decision(query, decided, ctx)
    pending_board.changed()
    await tell_requester(ctx, decided)


async def decide(
    ctx: Context, query: CallbackQuery, request_id: int, role: Role | None
) -> AccessRequest | None:
    """Decide once, audit it and answer the tap; None (tap unanswered) if it was decided
    before. The requester is told by the caller, after its own screen is updated."""
    t = ctx.t
    decided = await ctx.store.access_requests.decide(request_id, ctx.user_id, role)
    if decided is None:
        return None
    await ctx.store.audit.record(
        ctx.user_id, "access.approve" if role else "access.deny", details=_audit_details(decided)
    )
    await answer(
        query,
        t("access.done_approved", role=role_name(t, role)) if role else t("access.done_denied"),
    )
    return decided


async def earlier_decision_answer(query: CallbackQuery, request_id: int, ctx: Context) -> None:
    """Answer a tap on a request decided before: by whom, or that there is no such one."""
    request = await ctx.store.access_requests.get(request_id)
    if request is None or request.decided_by is None:
        await answer(query, ctx.t("access.not_found"), alert=True)
        return
    decider = await ctx.store.users.get(request.decided_by)
    admin = display_name(decider, request.decided_by)
    await answer(query, ctx.t("access.already_decided", admin=admin), alert=True)


async def decision_not_allowed(query: CallbackQuery, ctx: Context) -> None:
    # Forged data or a role taken away since the alert: nothing is decided.
    await answer(query, ctx.t("access.not_allowed"), alert=True)


async def _show_earlier_decision(query: CallbackQuery, request_id: int, ctx: Context) -> None:
    await earlier_decision_answer(query, request_id, ctx)
    request = await ctx.store.access_requests.get(request_id)
    if request is not None and request.decided_by is not None:
        await _show_decision(query, request, ctx)


async def _show_decision(query: CallbackQuery, request: AccessRequest, ctx: Context) -> None:
    """The admin's copy of the request, with the outcome instead of the buttons."""
    message = tapped_message(query)
    if message is None or request.decided_by is None:
        return  # too old to edit; the callback answer said it all
    profile = await ctx.store.users.get(request.user_id)
    decider = await ctx.store.users.get(request.decided_by)
    line = decision_line(ctx.t, request, display_name(decider, request.decided_by), ctx.tz)
    await edit_quietly(message, f"{request_text(ctx.t, request, profile)}\n\n{line}")


async def tell_requester(ctx: Context, request: AccessRequest) -> bool:
    """The requester hears the decision in their language, through the outbox."""
    role = request.approved_role
    if role is None:
        return await tell_user(
            ctx, request.user_id, lambda ut: ut("access.denied"), lambda _: ReplyKeyboardRemove()
        )
    return await tell_user(
        ctx,
        request.user_id,
        lambda ut: ut(f"access.welcome_{role.value}"),
        lambda ut: main_menu(ut, role),
    )


def _audit_details(request: AccessRequest) -> dict[str, object]:
    details: dict[str, object] = {"request": request.id, "user": request.user_id}
    if request.approved_role is not None:
        details["role"] = Role(request.approved_role).value
    return details
