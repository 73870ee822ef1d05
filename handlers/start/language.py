"""``/language``: Russian, English, or whatever the user's Telegram speaks."""

from __future__ import annotations

from enum import StrEnum

from aiogram.filters.callback_data import CallbackData
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message
from aiogram.utils.keyboard import InlineKeyboardBuilder

from handlers.common.command_menu import show_commands_in_chat
from handlers.common.context import Context
from handlers.common.i18n import Translator, pick_language, translator
from handlers.common.menu import main_menu
from handlers.common.replies import answer, edit_quietly, tapped_message


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


async def ask_language(message: Message, ctx: Context) -> None:
    await message.answer(ctx.t("start.language_prompt"), reply_markup=language_keyboard(ctx.t))


async def choose_language(
    query: CallbackQuery, callback_data: LanguageChoice, ctx: Context
) -> None:
    chosen = callback_data.code.stored
    await ctx.store.users.set_language(ctx.user_id, chosen)
    await show_commands_in_chat(ctx.bot, ctx.chat_id, ctx.role, chosen)
    t = translator(pick_language(chosen, ctx.user.telegram_language))
    await answer(query, t("start.language_set"))
    message = tapped_message(query)
    if message is not None:
        await edit_quietly(message, t("start.language_set"))
        await message.answer(t("start.menu_in_language"), reply_markup=main_menu(t, ctx.role))
