"""Observers (and anyone whose role no longer allows sending) are told, never shown a
schedule's buttons; buttons are refused too, since callback data can be forged."""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message

from handlers.common.context import Context
from handlers.common.replies import answer


async def refused(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("recurring.read_only"))


async def button_refused(query: CallbackQuery, ctx: Context) -> None:
    await answer(query, ctx.t("recurring.read_only"), alert=True)
