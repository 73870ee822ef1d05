"""A screen (text and inline keyboard) and showing it: edited in place when it changed,
left alone when it did not (Telegram refuses an edit that changes nothing)."""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

from aiogram.exceptions import TelegramBadRequest
from aiogram.types import CallbackQuery, InlineKeyboardMarkup, Message

_TAG = re.compile(r"<[^>]+>")
NOT_MODIFIED = "message is not modified"


@dataclass(frozen=True)
class Screen:
    text: str  # HTML
    keyboard: InlineKeyboardMarkup | None = None


def tapped_message(query: CallbackQuery) -> Message | None:
    """The message whose button was tapped, if the bot may still edit it."""
    return query.message if isinstance(query.message, Message) else None


def _shown_text(html_text: str) -> str:
    # What Telegram keeps after parsing: tags gone, entities decoded, ends trimmed.
    return html.unescape(_TAG.sub("", html_text)).strip()


def _buttons(markup: InlineKeyboardMarkup | None) -> list[list[tuple[str, str | None]]]:
    rows = markup.inline_keyboard if markup else []
    return [[(button.text, button.callback_data) for button in row] for row in rows]


def same_as_shown(message: Message, screen: Screen) -> bool:
    return (message.text or "") == _shown_text(screen.text) and _buttons(
        message.reply_markup
    ) == _buttons(screen.keyboard)


async def edit_in_place(message: Message, screen: Screen) -> bool:
    """Edit ``message`` to show ``screen``; False when it already shows it."""
    if same_as_shown(message, screen):
        return False
    try:
        await message.edit_text(screen.text, reply_markup=screen.keyboard)
    except TelegramBadRequest as error:
        if NOT_MODIFIED in error.message:
            return False
        raise
    return True
