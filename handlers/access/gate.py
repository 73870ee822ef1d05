"""Who is writing, in which language, and whether they may be served at all.

Puts ``user`` (the stored profile), ``role`` and ``t`` (their translator) into the handler
data. A stranger never reaches a feature router: their update is answered here by the
access-request flow, so no SMS API request can ever be made on their behalf.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from aiogram import BaseMiddleware
from aiogram.types import TelegramObject, Update
from aiogram.types import User as TelegramUser

from core.settings import Settings
from handlers.access import handle_stranger
from handlers.common.i18n import pick_language, translator
from storage import Storage
from storage.users import Role, User

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
        role = Role.ADMIN if tg_user.id in settings.ADMIN_IDS else user.role
        data["user"] = user
        data["role"] = role
        data["t"] = translator(pick_language(user.language, tg_user.language_code))
        if role is None:
            assert isinstance(event, Update)
            return await handle_stranger(event, data)
        return await handler(event, data)
