"""Writing to someone other than the person who tapped (the user an admin decided about),
and editing a message without tripping over "message is not modified"."""

from __future__ import annotations

import logging
from collections.abc import Callable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError, TelegramBadRequest, TelegramForbiddenError
from aiogram.types import InlineKeyboardMarkup, Message, ReplyKeyboardMarkup, ReplyKeyboardRemove

from handlers.common.i18n import Translator, pick_language, translator
from storage import Storage, User

log = logging.getLogger(__name__)

Markup = InlineKeyboardMarkup | ReplyKeyboardMarkup | ReplyKeyboardRemove


def user_translator(profile: User | None) -> Translator:
    """The translator for a stored user: their own choice, else their Telegram language."""
    if profile is None:
        return translator(pick_language(None, None))
    return translator(pick_language(profile.language, profile.telegram_language))


async def tell_user(
    bot: Bot,
    store: Storage,
    user_id: int,
    render: Callable[[Translator], str],
    markup: Callable[[Translator], Markup] | None = None,
) -> bool:
    """Send ``render(t)`` in the user's language; False if Telegram would not deliver it."""
    t = user_translator(await store.users.get(user_id))
    try:
        await bot.send_message(user_id, render(t), reply_markup=markup(t) if markup else None)
    except TelegramForbiddenError:
        await store.users.set_active(user_id, False)
        return False
    except TelegramAPIError as error:
        log.warning("User %s not told: %s", user_id, error.message)
        return False
    return True


async def edit_quietly(
    message: Message, text: str, markup: InlineKeyboardMarkup | None = None
) -> None:
    """Edit the message; an edit that would change nothing is not an error."""
    try:
        await message.edit_text(text, reply_markup=markup)
    except TelegramBadRequest as error:
        if "message is not modified" not in error.message:
            raise
