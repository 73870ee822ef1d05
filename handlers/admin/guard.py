"""What a manager or an observer gets from the admins' commands and buttons: a clear
"only for admins", never silence and never an action (callback data can be forged)."""

from __future__ import annotations

from aiogram import F, Router
from aiogram.filters import Command
from aiogram.types import CallbackQuery, Message

from handlers.admin.callbacks import AuditPage, UserAction, UsersPage
from handlers.common.filters import InLoop
from handlers.common.i18n import Translator
from handlers.common.menu import AUDIT, USERS, menu_button

router = Router(name="admin.guard")

ADMIN_CALLBACK_PREFIXES = tuple(
    f"{factory.__prefix__}{factory.__separator__}" for factory in (UsersPage, UserAction, AuditPage)
)


@router.message(Command("users", "audit"))
@router.message(menu_button(USERS))
@router.message(menu_button(AUDIT))
async def only_for_admins(message: Message, t: Translator) -> None:
    await message.answer(t("admin.only_admins"))


@router.callback_query(InLoop(F.data.startswith(ADMIN_CALLBACK_PREFIXES)))
async def not_allowed(query: CallbackQuery, t: Translator) -> None:
    await query.answer(t("admin.not_allowed"), show_alert=True)
