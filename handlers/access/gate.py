"""Who is writing, in which language, where, and whether they may be served at all.

An outer middleware on every update: it builds the update's :class:`Context` (``ctx``).
The bot serves people in private chats, and alerts to groups: an update from a group,
supergroup or channel is answered by ``handlers.groups.refusal`` first, so nothing is
revealed there and no access request is made from there; only what
``handlers.groups.routing`` names goes on, to the groups router (the bot's membership,
``/alerts`` from an admin of the bot, the group's own buttons, a supergroup upgrade).
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
from handlers.access.board import BOARD
from handlers.access.stranger import handle_stranger
from handlers.common.context import Context
from handlers.common.i18n import pick_language, translator
from handlers.groups.chats import is_shared
from handlers.groups.refusal import refuse_in_group
from handlers.groups.routing import meant_for_groups_router
from storage import Role, Storage, User

Handler = Callable[[TelegramObject, dict[str, Any]], Awaitable[Any]]


def _stored_profile(user: User) -> tuple[str | None, str | None, str | None]:
    return user.first_name, user.username, user.telegram_language


class AccessMiddleware(BaseMiddleware):
    async def __call__(self, handler: Handler, event: TelegramObject, data: dict[str, Any]) -> Any:
        assert isinstance(event, Update)  # an outer middleware of the update itself
        tg_user: TelegramUser | None = data.get("event_from_user")
        chat: Chat | None = data.get("event_chat")
        if tg_user is not None and is_shared(chat):
            assert chat is not None
            return await self._in_group(handler, event, data, tg_user, chat)
        if tg_user is None or tg_user.is_bot:
            return None  # channel posts, service updates: nothing for us
        store: Storage = data["store"]
        if event.my_chat_member is not None:
            # Blocked or unblocked in a private chat: no contact, nothing to answer or
            # write (the outbox learns of a block at its first 403, as before).
            return None
        profile = (tg_user.first_name, tg_user.username, tg_user.language_code)
        user = await store.users.get(tg_user.id)
        # Written only when something changed: a write per update was most of its cost.
        if user is None or not user.active or profile != _stored_profile(user):
            user = await store.users.upsert_seen(tg_user.id, *profile)
        ctx = data["ctx"] = _context(data, user, tg_user, chat.id if chat else tg_user.id)
        if ctx.role is None:
            return await handle_stranger(event, ctx, data[BOARD])
        return await handler(event, data)

    async def _in_group(
        self,
        handler: Handler,
        event: Update,
        data: dict[str, Any],
        tg_user: TelegramUser,
        chat: Chat,
    ) -> Any:
        # Nothing is written about the person: writing in a group is no contact with the bot.
        store: Storage = data["store"]
        user = await store.users.get(tg_user.id) or _unknown(tg_user, store)
        ctx = data["ctx"] = _context(data, user, tg_user, chat.id)
        if event.my_chat_member is not None or await meant_for_groups_router(event, ctx):
            return await handler(event, data)  # the groups router, and nothing after it
        return await refuse_in_group(event, ctx)


def _context(data: dict[str, Any], user: User, tg_user: TelegramUser, chat_id: int) -> Context:
    settings: Settings = data["settings"]
    return Context(
        bot=data["bot"],
        user=user,
        role=Role.ADMIN if tg_user.id in settings.ADMIN_IDS else user.role,
        t=translator(pick_language(user.language, tg_user.language_code)),
        settings=settings,
        store=data["store"],
        sms=data["sms"],
        clock=data["clock"],
        outbox=data["outbox"],
        chat_id=chat_id,
        demo=data.get("demo_mode", False),
    )


def _unknown(tg_user: TelegramUser, store: Storage) -> User:
    """The profile of someone the bot does not know, kept for this update only."""
    return User(
        user_id=tg_user.id,
        role=None,
        first_name=tg_user.first_name,
        username=tg_user.username,
        language=None,
        telegram_language=tg_user.language_code,
        active=True,
        created_at=store.db.now(),
    )
