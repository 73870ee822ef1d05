"""The bot is added to a group or removed from it (``my_chat_member``), and the group
becomes a supergroup.

Added by an admin of the bot: it stays, quietly, and the group is remembered (an admin
may then bind it as an alert channel with ``/alerts`` there). Added by anyone else: it
says why in one line and leaves. Removed, or gone: the group is forgotten, and its alert
binding ends with it. Upgraded to a supergroup (a new chat id): the group, its binding
and what it was told move to the new id.
"""

from __future__ import annotations

import logging

from aiogram.enums import ChatMemberStatus
from aiogram.exceptions import TelegramAPIError
from aiogram.types import ChatMemberUpdated, Message

from handlers.common.context import Context
from storage import Role

log = logging.getLogger(__name__)

PRESENT = frozenset({ChatMemberStatus.MEMBER, ChatMemberStatus.ADMINISTRATOR})


async def entered(update: ChatMemberUpdated) -> bool:
    """A filter: the bot came into the chat now (not a change of rights while in it)."""
    return update.new_chat_member.status in PRESENT and update.old_chat_member.status not in PRESENT


async def left(update: ChatMemberUpdated) -> bool:
    """A filter: the bot is out of the chat now."""
    return update.new_chat_member.status not in PRESENT


async def bot_added(update: ChatMemberUpdated, ctx: Context) -> None:
    chat = update.chat
    if ctx.role is Role.ADMIN:
        await ctx.store.group_chats.record(chat.id, chat.type, chat.title, ctx.user_id)
        log.info("Added to chat %s by admin %s; staying", chat.id, ctx.user_id)
        return
    log.warning("Added to chat %s by %s, who is no admin of the bot; leaving", chat.id, ctx.user_id)
    try:
        await ctx.bot.send_message(chat.id, ctx.t("groups.leaving"))
    except TelegramAPIError as error:  # a channel, or no right to write: leave all the same
        log.info("Could not say goodbye in chat %s: %s", chat.id, error.message)
    try:
        await ctx.bot.leave_chat(chat.id)
    except TelegramAPIError as error:
        log.warning("Could not leave chat %s: %s", chat.id, error.message)


async def bot_removed(update: ChatMemberUpdated, ctx: Context) -> None:
    if await ctx.store.group_chats.forget(update.chat.id):
        log.info("Out of chat %s; forgotten", update.chat.id)


async def moved(message: Message, ctx: Context) -> None:
    """The service message of an upgrade: in the old group it names the new id, in the
    supergroup the old one. Either moves everything; the second finds nothing to move."""
    if message.migrate_to_chat_id is not None:
        old, new = message.chat.id, message.migrate_to_chat_id
    elif message.migrate_from_chat_id is not None:
        old, new = message.migrate_from_chat_id, message.chat.id
    else:
        return
    if await ctx.store.group_alerts.move(old, new):
        log.info("Chat %s became supergroup %s; its alerts moved with it", old, new)
