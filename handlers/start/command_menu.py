"""The command menu Telegram shows, in both languages, with admin extras for admins."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from handlers.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator

log = logging.getLogger(__name__)

USER_COMMANDS = (
    "start", "help", "send", "dispatches", "status", "track", "balance", "books", "alerts",
    "cancel", "language",
)  # fmt: skip
ADMIN_COMMANDS = ("users", "audit", "check", "settings", "stoplist")


def commands_for(language: str, names: Iterable[str]) -> list[BotCommand]:
    t = translator(language)
    return [BotCommand(command=name, description=t(f"commands.{name}")) for name in names]


async def register_commands(bot: Bot, admin_ids: Iterable[int]) -> None:
    for language in LANGUAGES:
        code = None if language == DEFAULT_LANGUAGE else language
        await bot.set_my_commands(
            commands_for(language, USER_COMMANDS),
            scope=BotCommandScopeDefault(),
            language_code=code,
        )
    for admin_id in admin_ids:
        for language in LANGUAGES:
            code = None if language == DEFAULT_LANGUAGE else language
            try:
                await bot.set_my_commands(
                    commands_for(language, USER_COMMANDS + ADMIN_COMMANDS),
                    scope=BotCommandScopeChat(chat_id=admin_id),
                    language_code=code,
                )
            except TelegramAPIError as error:  # the admin never opened the bot yet
                log.info("Admin commands for %s not set: %s", admin_id, error.message)
