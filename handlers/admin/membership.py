"""Changing a user's role or taking their access away, with an audit entry for each."""

from __future__ import annotations

from aiogram import Bot
from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey

from handlers.start.conversation import leave_conversation
from storage import Role, Storage, User


async def set_member_role(store: Storage, admin_id: int, member: User, role: Role | None) -> None:
    """Grant ``role`` (None revokes access: the user is a stranger from the next update)."""
    await store.users.set_role(member.user_id, role)
    details: dict[str, object] = {
        "user": member.user_id,
        "from": member.role.value if member.role else None,
    }
    if role is not None:
        details["to"] = role.value
    await store.audit.record(admin_id, "user.role" if role else "user.revoke", details=details)


async def end_conversation(bot: Bot, store: Storage, user_id: int) -> None:
    """Leave the user's conversation: a draft begun under the old role is not continued
    under the new one. Private chats only, so the chat id is the user id."""
    key = StorageKey(bot_id=bot.id, chat_id=user_id, user_id=user_id)
    await leave_conversation(FSMContext(storage=store.fsm, key=key), store)
