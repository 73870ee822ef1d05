"""What admins allow beyond the roles' defaults, from ``/users``: whether managers may
cancel and re-run dispatches they did not create (docs/architecture.md, "Who may cancel
and re-run"). Every change is in the audit log."""

from __future__ import annotations

from aiogram.types import CallbackQuery, InlineKeyboardMarkup
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.admin.callbacks import PermissionChoice, PermissionsAction, UsersPage
from handlers.common.context import Context
from handlers.common.i18n import Translator
from handlers.common.replies import Screen, answer, show
from storage import Permission

OTHERS = Permission.OTHERS_DISPATCHES


async def permissions_tapped(
    query: CallbackQuery, callback_data: PermissionsAction, ctx: Context
) -> None:
    choice = callback_data.choice
    if choice is not PermissionChoice.SHOW:
        allowed = choice is PermissionChoice.ALLOW
        if await ctx.store.permissions.set(OTHERS, allowed, ctx.user_id):
            await ctx.store.audit.record(
                ctx.user_id, f"permissions.{OTHERS.value}", details={"allowed": allowed}
            )
        await answer(query, ctx.t("admin.permissions_saved"))
    else:
        await answer(query)
    await show(query, ctx, await permissions_screen(ctx))


async def permissions_screen(ctx: Context) -> Screen:
    allowed = await ctx.store.permissions.allowed(OTHERS)
    t = ctx.t
    state = t("admin.permissions_others_on" if allowed else "admin.permissions_others_off")
    return Screen(t("admin.permissions_text", state=state), _keyboard(t, allowed))


def _keyboard(t: Translator, allowed: bool) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    if allowed:
        builder.button(
            text=t("admin.button_forbid_others"),
            callback_data=PermissionsAction(choice=PermissionChoice.FORBID),
        )
    else:
        builder.button(
            text=t("admin.button_allow_others"),
            callback_data=PermissionsAction(choice=PermissionChoice.ALLOW),
        )
    builder.button(text=t("admin.button_back"), callback_data=UsersPage(page=0))
    builder.adjust(1)
    return builder.as_markup()
