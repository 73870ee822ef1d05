"""Bot API methods that put messages into chats, change or remove them: the sends,
edits and deletions, with Telegram's checks, blocked users and flood control."""

from __future__ import annotations

import mimetypes
from collections.abc import Callable
from typing import Any

from . import validation
from .errors import NOT_MODIFIED, bad_request, forbidden, too_many_requests, upgraded
from .flood import FloodControl
from .params import Upload
from .photos import photo_sizes
from .serialize import document_object, message_object
from .state import Chat, GroupChat, StandinMessage, StandinState, StoredFile, unix_now


class ChatMessaging:
    def __init__(self, state: StandinState) -> None:
        self.state = state
        self.flood: FloodControl | None = None

    def _writable_chat(self, params: dict[str, Any]) -> Chat:
        chat = self.state.chat(params.get("chat_id"))
        if isinstance(chat, GroupChat) and chat.migrated_to is not None:
            raise upgraded(chat.migrated_to)
        refusal = chat.write_refusal()
        if refusal is not None:
            raise forbidden(refusal)
        return chat

    def _admit(self, method: str, chat: Chat) -> None:
        if self.flood is None or not self.flood.limits.counts(method):
            return
        retry_after = self.flood.admit(chat.id, group=isinstance(chat, GroupChat))
        if retry_after is not None:
            raise too_many_requests(retry_after)

    @staticmethod
    def _reply_target(chat: Chat, params: dict[str, Any]) -> int | None:
        reply = params.get("reply_parameters")
        if isinstance(reply, dict):
            target, tolerant = reply.get("message_id"), reply.get("allow_sending_without_reply")
        else:
            target = params.get("reply_to_message_id")
            tolerant = params.get("allow_sending_without_reply")
        if target is None:
            return None
        if chat.find(target) is None:
            if tolerant:
                return None
            raise bad_request("message to be replied not found")
        return int(target)

    def _post(
        self,
        chat: Chat,
        markup: validation.ReplyMarkup | None,
        reply_to: int | None,
        params: dict[str, Any],
        **content: Any,
    ) -> StandinMessage:
        keyboard_state = None
        if markup is not None and markup.keyboard is not None:
            keyboard_state = chat.reply_keyboard = markup.keyboard
        elif markup is not None and markup.remove_keyboard:
            chat.reply_keyboard = None
            keyboard_state = {"remove_keyboard": True}
        elif markup is not None and markup.force_reply:
            keyboard_state = {"force_reply": True}
        return self.state.add_message(
            chat,
            self.state.bot_user,
            inline_keyboard=markup.inline_keyboard if markup else None,
            reply_keyboard=keyboard_state,
            disable_notification=bool(params.get("disable_notification")),
            reply_to_message_id=reply_to,
            **content,
        )

    async def send_message(self, params: dict[str, Any]) -> dict[str, Any]:
        chat = self._writable_chat(params)
        formatted = validation.formatted_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        markup = validation.reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        self._admit("sendMessage", chat)
        message = self._post(
            chat,
            markup,
            reply_to,
            params,
            text=formatted.text,
            entities=formatted.entities,
            parse_mode=params.get("parse_mode"),
            source_text=params.get("text"),
            link_preview_options=params.get("link_preview_options"),
        )
        await self.state.notify()
        return message_object(message, chat)

    async def send_document(self, params: dict[str, Any]) -> dict[str, Any]:
        def document() -> dict[str, Any]:
            return {"document": document_object(self._document_file(params.get("document")))}

        return await self._send_file("sendDocument", params, document)

    async def send_photo(self, params: dict[str, Any]) -> dict[str, Any]:
        def photo() -> dict[str, Any]:
            return {"photo": photo_sizes(self.state, self._photo_content(params.get("photo")))}

        return await self._send_file("sendPhoto", params, photo)

    async def _send_file(
        self, method: str, params: dict[str, Any], read_file: Callable[[], dict[str, Any]]
    ) -> dict[str, Any]:
        """A file with a caption, checked in Telegram's order: the chat, the caption, the
        markup, the reply, then the file itself; flood control only once all is valid."""
        chat = self._writable_chat(params)
        caption = self._caption(params)
        markup = validation.reply_markup(params.get("reply_markup"))
        reply_to = self._reply_target(chat, params)
        file = read_file()
        self._admit(method, chat)
        message = self._post(
            chat,
            markup,
            reply_to,
            params,
            **file,
            caption=caption.text if caption else None,
            caption_entities=caption.entities if caption else [],
            parse_mode=params.get("parse_mode"),
            source_text=params.get("caption"),
        )
        await self.state.notify()
        return message_object(message, chat)

    def _photo_content(self, photo: Any) -> bytes:
        if isinstance(photo, Upload):
            return photo.content
        if not photo:
            raise bad_request("there is no photo in the request")
        if isinstance(photo, str) and photo in self.state.files:
            return self.state.files[photo].content  # a file_id the bot was given
        if isinstance(photo, str) and photo.startswith(("http://", "https://")):
            raise bad_request("failed to get HTTP URL content")  # nothing is fetched
        raise bad_request("wrong file identifier/HTTP URL specified")

    @staticmethod
    def _caption(params: dict[str, Any]) -> validation.FormattedText | None:
        if not params.get("caption"):
            return None
        return validation.formatted_text(
            params["caption"],
            params.get("parse_mode"),
            params.get("caption_entities"),
            limit=validation.CAPTION_LIMIT,
            caption=True,
        )

    def _document_file(self, document: Any) -> StoredFile:
        if isinstance(document, Upload):
            mime_type = document.content_type
            if not mime_type or mime_type == "application/octet-stream":
                mime_type = mimetypes.guess_type(document.filename)[0] or mime_type
            return self.state.store_file(document.content, "document", document.filename, mime_type)
        if not document:
            raise bad_request("there is no document in the request")
        if document in self.state.files:
            return self.state.files[document]
        if isinstance(document, str) and document.startswith(("http://", "https://")):
            # Nothing is fetched from outside: the URL is kept as the file's name.
            name = document.rsplit("/", 1)[-1] or "document"
            return self.state.store_file(b"", "document", name, mimetypes.guess_type(name)[0])
        raise bad_request("wrong file identifier/HTTP URL specified")

    async def send_chat_action(self, params: dict[str, Any]) -> bool:
        chat = self._writable_chat(params)
        chat.last_chat_action = validation.chat_action(params.get("action"))
        await self.state.notify()
        return True

    # -- editing and deleting ------------------------------------------------

    def _message_to_edit(self, params: dict[str, Any]) -> tuple[Chat, StandinMessage]:
        if params.get("inline_message_id"):
            raise bad_request("message to edit not found")
        chat = self._writable_chat(params)
        if params.get("message_id") is None:
            raise bad_request("message identifier is not specified")
        message = chat.find(params.get("message_id"))
        if message is None:
            raise bad_request("message to edit not found")
        if not message.from_bot:
            raise bad_request("message can't be edited")
        return chat, message

    @staticmethod
    def _new_inline_keyboard(params: dict[str, Any]) -> list[list[dict[str, Any]]] | None:
        # An edit without reply_markup takes the inline keyboard away, as in Telegram.
        markup = validation.reply_markup(params.get("reply_markup"))
        return markup.inline_keyboard if markup else None

    async def edit_message_text(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._message_to_edit(params)
        if message.text is None:
            raise bad_request("there is no text in the message to edit")
        formatted = validation.formatted_text(
            params.get("text"), params.get("parse_mode"), params.get("entities")
        )
        keyboard = self._new_inline_keyboard(params)
        if (formatted.text, formatted.entities, keyboard) == (
            message.text,
            message.entities,
            message.inline_keyboard,
        ):
            raise bad_request(NOT_MODIFIED)
        self._admit("editMessageText", chat)
        message.text, message.entities = formatted.text, formatted.entities
        message.parse_mode, message.source_text = params.get("parse_mode"), params.get("text")
        message.inline_keyboard = keyboard
        if "link_preview_options" in params:
            message.link_preview_options = params["link_preview_options"]
        return await self._edited(chat, message)

    async def edit_message_reply_markup(self, params: dict[str, Any]) -> dict[str, Any]:
        chat, message = self._message_to_edit(params)
        keyboard = self._new_inline_keyboard(params)
        if keyboard == message.inline_keyboard:
            raise bad_request(NOT_MODIFIED)
        self._admit("editMessageReplyMarkup", chat)
        message.inline_keyboard = keyboard
        return await self._edited(chat, message)

    async def _edited(self, chat: Chat, message: StandinMessage) -> dict[str, Any]:
        message.edit_date = unix_now()
        self.state.log_event(chat, "edited", message)
        await self.state.notify()
        return message_object(message, chat)

    async def delete_message(self, params: dict[str, Any]) -> bool:
        chat = self.state.chat(params.get("chat_id"))
        message = chat.find(params.get("message_id"))
        if message is None:
            raise bad_request("message to delete not found")
        message.deleted = True
        self.state.log_event(chat, "deleted", message)
        await self.state.notify()
        return True
