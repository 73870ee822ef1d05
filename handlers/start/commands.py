"""``/start``, ``/help`` and ``/cancel``: they work at any step of any conversation,
because this router is asked before the conversations' own catch-alls."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.types import Message

from handlers.common.context import Context
from handlers.common.menu import main_menu
from handlers.start.conversation import leave_conversation, step_out
from handlers.start.texts import greeting, help_text
from storage import Role


async def start(message: Message, state: FSMContext, ctx: Context) -> None:
    await step_out(state)
    role = ctx.role
    assert role is not None  # the access gate answers strangers
    pending = len(await ctx.store.access_requests.pending()) if role is Role.ADMIN else 0
    await message.answer(
        greeting(ctx.t, role, ctx.user.first_name, pending), reply_markup=main_menu(ctx.t, role)
    )


async def show_help(message: Message, ctx: Context) -> None:
    # The conversation, if any, stays where it was: help is read between two steps.
    assert ctx.role is not None
    await message.answer(help_text(ctx.t, ctx.role))


async def cancel(message: Message, state: FSMContext, ctx: Context) -> None:
    left = await leave_conversation(state, ctx.store)
    text = ctx.t("start.cancelled") if left else ctx.t("start.nothing_to_cancel")
    await message.answer(text, reply_markup=main_menu(ctx.t, ctx.role))
