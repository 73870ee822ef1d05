"""An admin taps Approve or Deny under an access request.

The request is decided once in SQLite (two admins tapping at once: one wins, the other is
told who decided), the admin's message shows the outcome, the user hears it in their own
language, and the audit log keeps it.
"""

from __future__ import annotations

from aiogram import Bot, Router
from aiogram.types import CallbackQuery, Message, ReplyKeyboardRemove

from core.settings import Settings
from handlers.access.callbacks import AccessDecision
from handlers.access.messaging import edit_quietly, tell_user
from handlers.access.render import decision_line, display_name, request_text, role_name
from handlers.common.i18n import Translator
from handlers.common.menu import main_menu
from handlers.common.roles import is_admin
from storage import AccessRequest, Role, Storage, User

router = Router(name="access.decisions")


@router.callback_query(AccessDecision.filter(), is_admin)
async def decide_request(
    query: CallbackQuery,
    callback_data: AccessDecision,
    bot: Bot,
    store: Storage,
    settings: Settings,
    user: User,
    t: Translator,
) -> None:
    role = callback_data.decision.role
    decided = await store.access_requests.decide(callback_data.request_id, user.user_id, role)
    if decided is None:
        await _show_earlier_decision(query, callback_data.request_id, store, settings, t)
        return
    await store.audit.record(
        user.user_id,
        "access.approve" if role else "access.deny",
        details=_audit_details(decided),
    )
    await query.answer(
        t("access.done_approved", role=role_name(t, role)) if role else t("access.done_denied")
    )
    await _show_decision(query, decided, store, settings, t)
    await _tell_requester(bot, store, decided.user_id, role)


@router.callback_query(AccessDecision.filter())
async def decision_not_allowed(query: CallbackQuery, t: Translator) -> None:
    # Forged data or a role taken away since the alert: nothing is decided.
    await query.answer(t("access.not_allowed"), show_alert=True)


async def _show_earlier_decision(
    query: CallbackQuery, request_id: int, store: Storage, settings: Settings, t: Translator
) -> None:
    request = await store.access_requests.get(request_id)
    if request is None or request.decided_by is None:
        await query.answer(t("access.not_found"), show_alert=True)
        return
    decider = await store.users.get(request.decided_by)
    admin = display_name(decider, request.decided_by)
    await query.answer(t("access.already_decided", admin=admin), show_alert=True)
    await _show_decision(query, request, store, settings, t)


async def _show_decision(
    query: CallbackQuery, request: AccessRequest, store: Storage, settings: Settings, t: Translator
) -> None:
    """The admin's copy of the request, with the outcome instead of the buttons."""
    if not isinstance(query.message, Message) or request.decided_by is None:
        return  # too old to edit; the callback answer said it all
    profile = await store.users.get(request.user_id)
    decider = await store.users.get(request.decided_by)
    line = decision_line(t, request, display_name(decider, request.decided_by), settings.timezone)
    await edit_quietly(query.message, f"{request_text(t, request, profile)}\n\n{line}")


async def _tell_requester(bot: Bot, store: Storage, user_id: int, role: Role | None) -> None:
    if role is None:
        await tell_user(
            bot, store, user_id, lambda ut: ut("access.denied"), lambda _: ReplyKeyboardRemove()
        )
        return
    await tell_user(
        bot,
        store,
        user_id,
        lambda ut: ut(f"access.welcome_{role.value}"),
        lambda ut: main_menu(ut, role),
    )


def _audit_details(request: AccessRequest) -> dict[str, object]:
    details: dict[str, object] = {"request": request.id, "user": request.user_id}
    if request.approved_role is not None:
        details["role"] = Role(request.approved_role).value
    return details
