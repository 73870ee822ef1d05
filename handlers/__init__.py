"""The Telegram layer: one router per feature, built fresh for each dispatcher.

The order below is the order in which the features are asked.
"""

from aiogram import Router

from handlers import (
    access,
    admin,
    alerts,
    balance,
    books,
    dispatches,
    errors,
    fallback,
    send,
    start,
)


def build_router() -> Router:
    root = Router(name="root")
    root.include_routers(
        errors.build_router(),
        start.build_router(),  # /start, /help and /cancel work from any step of any conversation
        access.build_router(),
        admin.build_router(),
        send.build_router(),
        dispatches.build_router(),
        balance.build_router(),
        books.build_router(),
        alerts.build_router(),
        fallback.build_router(),  # must stay last
    )
    return root
