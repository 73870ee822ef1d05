"""The start feature: ``/start``, ``/help``, ``/cancel`` and ``/language``, for every role
and from any step of any conversation."""

from aiogram import Router

from handlers.start import commands, language

router = Router(name="start")
router.include_routers(commands.router, language.router)

__all__ = ["router"]
