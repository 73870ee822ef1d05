"""What nobody else answered: a hint instead of silence."""

from __future__ import annotations

from aiogram import Router
from aiogram.types import CallbackQuery, Message

from handlers.common.i18n import Translator

router = Router(name="fallback")


@router.callback_query()
async def stale_or_forbidden_button(query: CallbackQuery, t: Translator) -> None:
    # An old keyboard, a role that changed, or forged data: the same calm answer.
    await query.answer(t("fallback.button_unavailable"), show_alert=True)


@router.message()
async def not_understood(message: Message, t: Translator) -> None:
    await message.answer(t("fallback.not_understood"))
