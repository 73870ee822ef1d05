"""An admin taps Approve or Deny under an access request.

The request is decided once in SQLite (two admins tapping at once: one wins, the other is
told who decided), the admin's message shows the outcome, the user hears it in their own
language, and the audit log keeps it.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, ReplyKeyboardRemove

from handlers.access.callbacks import AccessDecision
from handlers.access.render import decision_line, display_name, request_text, role_name
from handlers.common.context import Context
from handlers.common.menu import main_menu
from handlers.common.replies import answer, edit_quietly, tapped_message, tell_user
from storage import AccessRequest, Role


async def decide_request(query: CallbackQuery, callback_data: AccessDecision, ctx: Context) -> None:
    t = ctx.t
    role = callback_data.decision.role
    decided = await ctx.store.access_requests.decide(callback_data.request_id, ctx.user_id, role)
    if decided is None:
        await _show_earlier_decision(query, callback_data.request_id, ctx)
        return
    await ctx.store.audit.record(
        ctx.user_id, "access.approve" if role else "access.deny", details=_audit_details(decided)
    )
    await answer(
        query,
        t("access.done_approved", role=role_name(t, role)) if role else t("access.done_denied"),
    )
    await _show_decision(query, decided, ctx)
    await _tell_requester(ctx, decided.user_id, role)


async def decision_not_allowed(query: CallbackQuery, ctx: Context) -> None:
    # Forged data or a role taken away since the alert: nothing is decided.
    await answer(query, ctx.t("access.not_allowed"), alert=True)


async def _show_earlier_decision(query: CallbackQuery, request_id: int, ctx: Context) -> None:
    request = await ctx.store.access_requests.get(request_id)
    if request is None or request.decided_by is None:
        await answer(query, ctx.t("access.not_found"), alert=True)
        return
    decider = await ctx.store.users.get(request.decided_by)
    admin = display_name(decider, request.decided_by)
    await answer(query, ctx.t("access.already_decided", admin=admin), alert=True)
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


async def _tell_requester(ctx: Context, user_id: int, role: Role | None) -> None:
    if role is None:
        await tell_user(
            ctx, user_id, lambda ut: ut("access.denied"), lambda _: ReplyKeyboardRemove()
        )
        return
    await tell_user(
        ctx,
        user_id,
        lambda ut: ut(f"access.welcome_{role.value}"),
        lambda ut: main_menu(ut, role),
    )


def _audit_details(request: AccessRequest) -> dict[str, object]:
    details: dict[str, object] = {"request": request.id, "user": request.user_id}
    if request.approved_role is not None:
        details["role"] = Role(request.approved_role).value
    return details
