"""The start feature: ``/start``, ``/help``, ``/cancel`` and ``/language``, for every role
and from any step of any conversation."""

from aiogram import Router
from aiogram.filters import Command, CommandStart

from handlers.common.menu import HELP, menu_button
from handlers.start.commands import cancel, show_help, start
from handlers.start.language import LanguageChoice, ask_language, choose_language


def build_router() -> Router:
    router = Router(name="start")
    router.message.register(start, CommandStart())
    router.message.register(show_help, Command("help"))
    router.message.register(show_help, menu_button(HELP))
    router.message.register(cancel, Command("cancel"))
    router.message.register(ask_language, Command("language"))
    router.callback_query.register(choose_language, LanguageChoice.filter())
    return router
