"""What from a group goes on to the groups router; the access gate refuses everything else.

In a group the bot serves alerts only. The gate lets through, besides its own membership
changes: ``/alerts`` (or ``/alerts@this_bot``) from an admin of the bot, an admin's reply
to the threshold question the bot asked there, a tap on a button of the bot's group
messages (the groups router checks the presser's role), and the service message of the
group becoming a supergroup. Sends, the other commands and every admin screen stay in
private chats.
"""

from __future__ import annotations

from aiogram.types import CallbackQuery, Message, Update

from handlers.common.context import Context
from handlers.groups.callbacks import GROUP_PREFIXES
from storage import Role

ALERTS_COMMAND = "/alerts"


async def meant_for_groups_router(event: Update, ctx: Context) -> bool:
    if event.callback_query is not None:
        return is_group_button(event.callback_query)
    message = event.message
    if message is None:
        return False
    if is_migration(message):
        return True
    if ctx.role is not Role.ADMIN:
        return False
    username = (await ctx.bot.me()).username  # asked of Telegram once, then kept by aiogram
    if is_alerts_command(message, username):
        return True
    return await is_threshold_reply(message, ctx)


def is_group_button(query: CallbackQuery) -> bool:
    prefix, _, _ = (query.data or "").partition(":")
    return prefix in GROUP_PREFIXES


def is_migration(message: Message) -> bool:
    return message.migrate_to_chat_id is not None or message.migrate_from_chat_id is not None


def is_alerts_command(message: Message, bot_username: str | None) -> bool:
    """``/alerts`` or ``/alerts@this_bot`` at the start of a text; not another bot's."""
    text = message.text or ""
    command = next(
        (e for e in message.entities or [] if e.type == "bot_command" and e.offset == 0), None
    )
    if command is None:
        return False
    word = command.extract_from(text).lower()
    name, _, addressee = word.partition("@")
    if name != ALERTS_COMMAND:
        return False
    return not addressee or (bot_username is not None and addressee == bot_username.lower())


async def is_threshold_reply(message: Message, ctx: Context) -> bool:
    """A reply to the threshold question the bot asked in this group, still open."""
    replied = message.reply_to_message
    if replied is None or replied.from_user is None or replied.from_user.id != ctx.bot.id:
        return False
    alerts = await ctx.store.group_alerts.get(message.chat.id)
    return alerts is not None and alerts.prompt_message_id == replied.message_id
