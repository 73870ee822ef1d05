"""Every feature is one router; the order below is the order in which they are asked."""

from aiogram import Router


def build_router() -> Router:
    # Imported here so that importing one feature's module does not import them all.
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

    root = Router(name="root")
    root.include_routers(
        errors.router,
        start.router,  # /start, /help and /cancel work from any step of any conversation
        access.router,
        admin.router,
        send.router,
        dispatches.router,
        balance.router,
        books.router,
        alerts.router,
        fallback.router,  # must stay last
    )
    return root


def release_router(root: Router) -> None:
    """Detach the feature routers from a finished root, so that a new Dispatcher in the
    same process (a restart in tests or the sandbox) can include them again."""
    for feature in root.sub_routers:
        feature._parent_router = None
    root.sub_routers.clear()
