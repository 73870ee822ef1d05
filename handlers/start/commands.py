"""``/start``, ``/help`` and ``/cancel``: they work at any step of any conversation,
because this router is asked before the conversations' own catch-alls."""

from __future__ import annotations

from aiogram import Router
from aiogram.filters import Command, CommandStart
from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from handlers.common.i18n import Translator
from handlers.common.menu import HELP, main_menu, menu_button
from handlers.start.conversation import leave_conversation
from handlers.start.texts import greeting, help_text
from storage import Role, Storage, User

router = Router(name="start.commands")


@router.message(CommandStart())
async def start(
    message: Message, state: FSMContext, store: Storage, user: User, role: Role, t: Translator
) -> None:
    await leave_conversation(state, store)
    pending = len(await store.access_requests.pending()) if role is Role.ADMIN else 0
    await message.answer(
        greeting(t, role, user.first_name, pending), reply_markup=main_menu(t, role)
    )


@router.message(Command("help"))
@router.message(menu_button(HELP))
async def show_help(message: Message, role: Role, t: Translator) -> None:
    # The conversation, if any, stays where it was: help is read between two steps.
    await message.answer(help_text(t, role))


@router.message(Command("cancel"))
async def cancel(
    message: Message, state: FSMContext, store: Storage, role: Role, t: Translator
) -> None:
    left = await leave_conversation(state, store)
    text = t("start.cancelled") if left else t("start.nothing_to_cancel")
    await message.answer(text, reply_markup=main_menu(t, role))
