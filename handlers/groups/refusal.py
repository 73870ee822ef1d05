"""What the bot answers in a group, supergroup or channel: where to talk to it, once per
group, and nothing else; ``/alerts`` from someone who is not an admin of the bot is
told who chooses the group's alerts. Called by the access gate before anything else
happens, so nothing is revealed there and no access request is made from there."""

from __future__ import annotations

import logging

from aiogram.exceptions import TelegramAPIError
from aiogram.types import Update

from handlers.common.context import Context
from handlers.common.replies import answer
from handlers.groups.chats import said_to_the_bot
from handlers.groups.routing import is_alerts_command

log = logging.getLogger(__name__)


async def refuse_in_group(event: Update, ctx: Context) -> None:
    username = (await ctx.bot.me()).username  # asked of Telegram once, then kept by aiogram
    where = ctx.t("groups.private_only", bot=f"@{username}")
    if event.callback_query is not None:
        # An old keyboard or forged data: a toast for the one who tapped, nothing for all.
        await answer(event.callback_query, ctx.t("groups.open_private", bot=f"@{username}"))
        return
    message = event.message
    if message is None or not said_to_the_bot(message, username):
        return
    chat = message.chat
    if is_alerts_command(message, username):
        # Through the outbox: the group's twenty messages a minute are counted there.
        await ctx.outbox.send(
            chat.id, ctx.t("group_alerts.admins_only"), reply_to=message.message_id
        )
        return
    if not await ctx.store.group_chats.claim_notice(chat.id, chat.type, chat.title):
        return  # said once already
    try:
        await ctx.bot.send_message(chat.id, where)
    except TelegramAPIError as error:  # muted in the group, or a channel: nothing to do
        log.info("Could not say where to talk in chat %s: %s", chat.id, error.message)
