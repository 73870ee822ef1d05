"""Who is writing, in which language, and whether they may be served at all.

An outer middleware on every update: it builds the update's :class:`Context` (``ctx``).
A stranger never reaches a feature router: their update is answered here by the
access-request flow, so no SMS API request can ever be made on their behalf.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import Chat, TelegramObject, Update
from aiogram.types import User as TelegramUser

from core.settings import Settings
from handlers.access.stranger import handle_stranger
from handlers.common.context import Context
from handlers.common.i18n import pick_language, translator
from storage import Role, Storage, User

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _stored_profile(user: User) -> tuple[str | None, str | None, str | None]:
    return user.first_name, user.username, user.telegram_language


class AccessMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        tg_user: TelegramUser | None = data.get("event_from_user")
        if tg_user is None or tg_user.is_bot:
            return None  # channel posts, service updates: nothing for us
        store: Storage = data["store"]
        settings: Settings = data["settings"]
        profile = (tg_user.first_name, tg_user.username, tg_user.language_code)
        user = await store.users.get(tg_user.id)
        # Written only when something changed: a write per update was most of its cost.
        if user is None or not user.active or profile != _stored_profile(user):
            user = await store.users.upsert_seen(tg_user.id, *profile)
        chat: Chat | None = data.get("event_chat")
        ctx = Context(
            bot=data["bot"],
            user=user,
            role=Role.ADMIN if tg_user.id in settings.ADMIN_IDS else user.role,
            t=translator(pick_language(user.language, tg_user.language_code)),
            settings=settings,
            store=store,
            sms=data["sms"],
            clock=data["clock"],
            outbox=data["outbox"],
            chat_id=chat.id if chat is not None else tg_user.id,
            demo=data.get("demo_mode", False),
        )
        data["ctx"] = ctx
        if ctx.role is None:
            assert isinstance(event, Update)
            return await handle_stranger(event, ctx)
        return await handler(event, data)
