"""The Telegram layer: one router per feature, built fresh for each dispatcher.

The order below is the order in which the features are asked.
"""

from aiogram import Router

from handlers import (
    access,
    admin,
    alerts,
    approval,
    balance,
    books,
    dispatches,
    errors,
    fallback,
    groups,
    recurring,
    reports,
    send,
    start,
    stoplist,
)
from handlers.admin import settings as send_settings
from handlers.common.background import close_background, open_background


def build_router() -> Router:
    root = Router(name="root")
    root.startup.register(open_background)
    root.shutdown.register(close_background)
    root.include_routers(
        errors.build_router(),
        groups.build_router(),  # all a group may reach: the gate answers the rest
        start.build_router(),  # /start, /help and /cancel work from any step of any conversation
        access.build_router(),
        admin.build_router(),
        send.build_router(),
        # After send: its start-up recovers drafts a crash left sending before approvals
        # are settled, and a command in the middle of a send parks the draft first.
        approval.build_router(),
        send_settings.build_router(),
        stoplist.build_router(),
        dispatches.build_router(),
        balance.build_router(),
        reports.build_router(),
        books.build_router(),
        alerts.build_router(),
        recurring.build_router(),  # after send: its summary's "repeat on a schedule" tap
        fallback.build_router(),  # must stay last
    )
    return root
