"""What nobody else answered: a hint instead of silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from handlers.common.context import Context
from handlers.common.replies import answer


async def stale_or_forbidden_button(query: CallbackQuery, ctx: Context) -> None:
    # An old keyboard, a role that changed, or forged data: the same calm answer.
    await answer(query, ctx.t("fallback.button_unavailable"), alert=True)


async def not_understood(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("fallback.not_understood"))


def build_router() -> Router:
    router = Router(name="fallback")
    router.callback_query.register(stale_or_forbidden_button)
    router.message.register(not_understood)
    return router
