"""``/language``: Russian, English, or whatever the user's Telegram speaks."""

from __future__ import annotations

from enum import StrEnum

from aiogram import Router
from aiogram.filters import Command
from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.access.messaging import edit_quietly
from handlers.common.i18n import Translator, pick_language, translator
from handlers.common.menu import main_menu
from storage import Role, Storage, User

router = Router(name="start.language")


class LanguageCode(StrEnum):
    RU = "ru"
    EN = "en"
    TELEGRAM = "tg"  # no choice of one's own: follow the Telegram app's language

    @property
    def stored(self) -> str | None:
        return None if self is LanguageCode.TELEGRAM else self.value


class LanguageChoice(CallbackData, prefix="lg"):
    code: LanguageCode


def language_keyboard(t: Translator) -> InlineKeyboardMarkup:
    builder = InlineKeyboardBuilder()
    for code in LanguageCode:
        builder.button(
            text=t(f"start.language_{code.value}"), callback_data=LanguageChoice(code=code)
        )
    builder.adjust(2, 1)
    return builder.as_markup()


@router.message(Command("language"))
async def ask_language(message: Message, t: Translator) -> None:
    await message.answer(t("start.language_prompt"), reply_markup=language_keyboard(t))


@router.callback_query(LanguageChoice.filter())
async def choose_language(
    query: CallbackQuery,
    callback_data: LanguageChoice,
    store: Storage,
    user: User,
    role: Role,
) -> None:
    chosen = callback_data.code.stored
    await store.users.set_language(user.user_id, chosen)
    t = translator(pick_language(chosen, user.telegram_language))
    await query.answer(t("start.language_set"))
    if isinstance(query.message, Message):
        await edit_quietly(query.message, t("start.language_set"))
        await query.message.answer(t("start.menu_in_language"), reply_markup=main_menu(t, role))
