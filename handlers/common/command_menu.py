"""The command menu Telegram shows, in both languages, with admin extras for admins."""

from __future__ import annotations

import logging
from collections.abc import Iterable

from aiogram import Bot
from aiogram.exceptions import TelegramAPIError
from aiogram.types import BotCommand, BotCommandScopeChat, BotCommandScopeDefault

from handlers.common.i18n import DEFAULT_LANGUAGE, LANGUAGES, translator
from storage import Role, Storage

log = logging.getLogger(__name__)

USER_COMMANDS = (
    "start", "help", "send", "recurring", "dispatches", "status", "track", "report",
    "balance", "books", "alerts", "cancel", "language",
)  # fmt: skip
ADMIN_COMMANDS = ("users", "audit", "check", "settings", "stoplist")


def commands_for(language: str, names: Iterable[str]) -> list[BotCommand]:
    t = translator(language)
    return [BotCommand(command=name, description=t(f"commands.{name}")) for name in names]


async def register_commands(bot: Bot, store: Storage, admin_ids: Iterable[int]) -> None:
    """At start: everyone's menu in both languages (the app's language picks), and each
    admin's own, with the admin commands."""
    for language in LANGUAGES:
        await bot.set_my_commands(
            commands_for(language, USER_COMMANDS),
            scope=BotCommandScopeDefault(),
            language_code=_code(language),
        )
    for admin_id in admin_ids:
        user = await store.users.get(admin_id)
        await show_commands_in_chat(bot, admin_id, Role.ADMIN, user.language if user else None)


async def show_commands_in_chat(
    bot: Bot, chat_id: int, role: Role | None, language: str | None
) -> None:
    """One private chat's menu: in the language the user chose in the bot (None: the
    app's), with the admin commands for an admin.

    Telegram prefers a chat's menu with the app's language code to the one without, so a
    chosen language is set without a code and the coded ones are removed.
    """
    scope = BotCommandScopeChat(chat_id=chat_id)
    names = USER_COMMANDS + ADMIN_COMMANDS if role is Role.ADMIN else USER_COMMANDS
    try:
        if language is not None:
            await bot.set_my_commands(commands_for(language, names), scope=scope)
            for other in LANGUAGES:
                if _code(other) is not None:
                    await bot.delete_my_commands(scope=scope, language_code=_code(other))
        elif role is Role.ADMIN:
            for other in LANGUAGES:
                commands = commands_for(other, names)
                await bot.set_my_commands(commands, scope=scope, language_code=_code(other))
        else:  # the everyone's menu, by the app's language
            for other in LANGUAGES:
                await bot.delete_my_commands(scope=scope, language_code=_code(other))
    except TelegramAPIError as error:  # e.g. the person never opened the bot yet
        log.info("Commands of chat %s not set: %s", chat_id, error.message)


def _code(language: str) -> str | None:
    """The language code a menu is set under; the default language's is the fallback."""
    return None if language == DEFAULT_LANGUAGE else language
