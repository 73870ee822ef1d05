"""Changing a user's role or taking their access away, with an audit entry for each."""

from __future__ import annotations

from aiogram.fsm.context import FSMContext
from aiogram.fsm.storage.base import StorageKey

from handlers.common.context import Context
from handlers.start.conversation import leave_conversation
from storage import Role, User


async def set_member_role(ctx: Context, member: User, role: Role | None) -> None:
    """Grant ``role`` (None revokes access: the user is a stranger from the next update)."""
    await ctx.store.users.set_role(member.user_id, role)
    details: dict[str, object] = {
        "user": member.user_id,
        "from": member.role.value if member.role else None,
    }
    if role is not None:
        details["to"] = role.value
    await ctx.store.audit.record(
        ctx.user_id, "user.role" if role else "user.revoke", details=details
    )


async def end_conversation(ctx: Context, user_id: int) -> None:
    """Leave the user's conversation: a draft begun under the old role is not continued
    under the new one. Private chats only, so the chat id is the user id."""
    key = StorageKey(bot_id=ctx.bot.id, chat_id=user_id, user_id=user_id)
    await leave_conversation(FSMContext(storage=ctx.store.fsm, key=key), ctx.store)
