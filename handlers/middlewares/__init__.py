from aiogram import Dispatcher

from handlers.middlewares.access import AccessMiddleware


def install_middlewares(dispatcher: Dispatcher) -> None:
    # On the update itself, so messages, callback queries and anything added later
    # all pass the same check before any router sees them.
    dispatcher.update.outer_middleware(AccessMiddleware())
