"""Bot API objects (User, Chat, Message, File) built from the stand-in's state."""

from __future__ import annotations

from typing import Any

from .state import Chat, GroupChat, PrivateChat, StandinMessage, StoredFile


def user_object(
    user_id: int,
    first_name: str,
    *,
    last_name: str | None = None,
    username: str | None = None,
    language_code: str | None = None,
    is_bot: bool = False,
) -> dict[str, Any]:
    user: dict[str, Any] = {"id": user_id, "is_bot": is_bot, "first_name": first_name}
    optional = {"last_name": last_name, "username": username, "language_code": language_code}
    user.update({key: value for key, value in optional.items() if value is not None})
    return user


def chat_object(chat: Chat) -> dict[str, Any]:
    if isinstance(chat, GroupChat):
        return {"id": chat.id, "type": chat.chat_type, "title": chat.title}
    assert isinstance(chat, PrivateChat)
    result: dict[str, Any] = {"id": chat.id, "type": "private"}
    for key in ("first_name", "last_name", "username"):
        if key in chat.user:
            result[key] = chat.user[key]
    return result


def message_object(
    message: StandinMessage, chat: Chat, *, with_reply: bool = True
) -> dict[str, Any]:
    result: dict[str, Any] = {
        "message_id": message.message_id,
        "from": message.sender,
        "chat": chat_object(chat),
        "date": message.date,
    }
    if message.edit_date is not None:
        result["edit_date"] = message.edit_date
    if message.text is not None:
        result["text"] = message.text
        if message.entities:
            result["entities"] = message.entities
    if message.caption is not None:
        result["caption"] = message.caption
        if message.caption_entities:
            result["caption_entities"] = message.caption_entities
    for key in (
        "document",
        "photo",
        "sticker",
        "contact",
        "new_chat_members",
        "migrate_to_chat_id",
        "migrate_from_chat_id",
        "link_preview_options",
    ):
        if getattr(message, key) is not None:
            result[key] = getattr(message, key)
    if message.inline_keyboard:
        # Telegram echoes only inline keyboards; reply keyboards belong to the input field.
        result["reply_markup"] = {"inline_keyboard": message.inline_keyboard}
    if with_reply and message.reply_to_message_id is not None:
        target = chat.find(message.reply_to_message_id)
        if target is not None:
            result["reply_to_message"] = message_object(target, chat, with_reply=False)
    return result


def chat_member(user: dict[str, Any], status: str) -> dict[str, Any]:
    """A ChatMember object with the fields its status requires."""
    member: dict[str, Any] = {"status": status, "user": user}
    if status == "kicked":
        member["until_date"] = 0
    elif status == "administrator":
        member.update(ADMINISTRATOR_RIGHTS)
    return member


# What a bot made administrator gets by default in Telegram's apps.
ADMINISTRATOR_RIGHTS: dict[str, bool] = {
    "can_be_edited": False,
    "is_anonymous": False,
    "can_manage_chat": True,
    "can_delete_messages": True,
    "can_manage_video_chats": True,
    "can_restrict_members": True,
    "can_promote_members": False,
    "can_change_info": True,
    "can_invite_users": True,
    "can_post_stories": False,
    "can_edit_stories": False,
    "can_delete_stories": False,
    "can_send_welcome_messages": False,
    "can_pin_messages": True,
}


def file_object(stored: StoredFile) -> dict[str, Any]:
    return {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
        "file_path": stored.file_path,
    }


def document_object(stored: StoredFile) -> dict[str, Any]:
    document: dict[str, Any] = {
        "file_id": stored.file_id,
        "file_unique_id": stored.file_unique_id,
        "file_size": stored.file_size,
    }
    if stored.file_name:
        document["file_name"] = stored.file_name
    if stored.mime_type:
        document["mime_type"] = stored.mime_type
    return document


def message_view(message: StandinMessage) -> dict[str, Any]:
    """The chat page's view of a message: what the user sees, keyboards included."""
    return {
        "message_id": message.message_id,
        "from_bot": message.from_bot,
        "date": message.date,
        "edit_date": message.edit_date,
        "text": message.text,
        "entities": message.entities,
        "parse_mode": message.parse_mode,
        "source_text": message.source_text,
        "caption": message.caption,
        "document": message.document,
        "photo": message.photo,
        "sticker": message.sticker,
        "contact": message.contact,
        "inline_keyboard": message.inline_keyboard,
        "reply_keyboard": message.reply_keyboard,
        "reply_to_message_id": message.reply_to_message_id,
        "sender": message.sender,
        "new_chat_members": message.new_chat_members,
        "migrate_to_chat_id": message.migrate_to_chat_id,
        "migrate_from_chat_id": message.migrate_from_chat_id,
    }
