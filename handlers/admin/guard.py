"""What a manager or an observer gets from the admins' commands and buttons: a clear
"only for admins", never silence and never an action (callback data can be forged)."""

from __future__ import annotations

from aiogram import F
from aiogram.types import CallbackQuery, Message

from handlers.admin.callbacks import AuditPage, PermissionsAction, UserAction, UsersPage
from handlers.common.context import Context
from handlers.common.filters import InLoop
from handlers.common.replies import answer

ADMIN_CALLBACK_PREFIXES = tuple(
    f"{factory.__prefix__}{factory.__separator__}"
    for factory in (UsersPage, UserAction, AuditPage, PermissionsAction)
)
admin_button = InLoop(F.data.startswith(ADMIN_CALLBACK_PREFIXES))


async def only_for_admins(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("admin.only_admins"))


async def not_allowed(query: CallbackQuery, ctx: Context) -> None:
    await answer(query, ctx.t("admin.not_allowed"), alert=True)
