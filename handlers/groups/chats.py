"""Which chats are shared ones, and what in them is said to the bot."""

from __future__ import annotations

from aiogram.enums import ChatType, ContentType
from aiogram.types import Chat, Message

SHARED_CHATS = frozenset({ChatType.GROUP, ChatType.SUPERGROUP, ChatType.CHANNEL})
# What a person writes; service messages (someone joined, the title changed, the bot
# was added) are not said to the bot.
WRITTEN = frozenset(
    {
        ContentType.TEXT,
        ContentType.DOCUMENT,
        ContentType.PHOTO,
        ContentType.STICKER,
        ContentType.VIDEO,
        ContentType.AUDIO,
        ContentType.VOICE,
        ContentType.VIDEO_NOTE,
        ContentType.ANIMATION,
        ContentType.CONTACT,
        ContentType.LOCATION,
    }
)


def is_shared(chat: Chat | None) -> bool:
    return chat is not None and chat.type in SHARED_CHATS


def said_to_the_bot(message: Message, bot_username: str | None) -> bool:
    """A command for this bot, a mention of it, or a reply to one of its messages: what
    a person means for the bot (in a group it may also see everything else)."""
    if message.content_type not in WRITTEN:
        return False
    replied = message.reply_to_message
    if replied is not None and replied.from_user is not None and replied.from_user.is_bot:
        return True
    text = message.text or message.caption or ""
    mention = f"@{bot_username}".lower() if bot_username else None
    for entity in message.entities or message.caption_entities or []:
        word = entity.extract_from(text).lower()
        if entity.type == "bot_command":
            _, _, addressee = word.partition("@")
            if not addressee or (mention is not None and f"@{addressee}" == mention):
                return True
        elif entity.type == "mention" and word == mention:
            return True
    return False
