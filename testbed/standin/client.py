"""Simulated Telegram users: they write to the bot, tap its buttons and wait for answers."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from typing import Any

from .html_parse import utf16_length
from .serialize import chat_object, message_object
from .splitting import split_like_telegram
from .state import CallbackAnswer, ChatEvent, PrivateChat, StandinMessage, StandinState, unix_now
from .validation import reply_button_texts, reply_buttons

COMMAND = re.compile(r"(?<![\w/])/[A-Za-z0-9_]{1,32}(?:@[A-Za-z0-9_]{3,32})?(?![\w/])")
# The smallest valid PNG (1x1, transparent): what a simulated photo upload holds.
TINY_PNG = bytes.fromhex(
    "89504e470d0a1a0a0000000d4948445200000001000000010806000000"
    "1f15c4890000000d49444154789c63000100000500010d0a2db40000000049454e44ae426082"
)
DEFAULT_WAIT = 5.0

MessagePredicate = Callable[[StandinMessage], bool]


def next_bot_message(
    events: Iterable[ChatEvent], after: int, predicate: MessagePredicate | None
) -> ChatEvent | None:
    """The first bot message sent or edited after event ``after`` that ``predicate``
    accepts: what a person waiting in a chat or a group sees come next."""
    for event in events:
        if (
            event.seq > after
            and event.kind in ("sent", "edited")
            and event.message.from_bot
            and (predicate is None or predicate(event.message))
        ):
            return event
    return None


def command_entities(text: str) -> list[dict[str, Any]]:
    """bot_command entities where Telegram's apps mark them: a slash word anywhere."""
    return [
        {
            "type": "bot_command",
            "offset": utf16_length(text[: match.start()]),
            "length": utf16_length(match.group()),
        }
        for match in COMMAND.finditer(text)
    ]


class SimUser:
    """One user in a private chat with the bot, driven by a test or the sandbox page."""

    def __init__(
        self, state: StandinState, chat: PrivateChat, phone_number: str | None = None
    ) -> None:
        self._state = state
        self._chat = chat
        self._cursor = state.seq  # replies are looked for after this chat event
        self._last_query_id: str | None = None
        # The number of the user's Telegram account: what "share my contact" sends.
        self.phone_number = phone_number or f"+38071{chat.id % 10_000_000:07d}"

    @property
    def user_id(self) -> int:
        return self._chat.id

    @property
    def user(self) -> dict[str, Any]:
        """The Telegram User object of this user."""
        return dict(self._chat.user)

    @property
    def chat_id(self) -> int:
        return self._chat.id

    @property
    def messages(self) -> list[StandinMessage]:
        """The chat as the user sees it now: edits applied, deleted messages gone."""
        return self._chat.visible()

    @property
    def reply_keyboard(self) -> dict[str, Any] | None:
        """The bot's reply keyboard under the input field, if one is shown."""
        return self._chat.reply_keyboard

    @property
    def last_chat_action(self) -> str | None:
        return self._chat.last_chat_action

    @property
    def blocked_bot(self) -> bool:
        return self._chat.blocked

    def last_bot_message(self) -> StandinMessage | None:
        return next((m for m in reversed(self.messages) if m.from_bot), None)

    # -- actions -------------------------------------------------------------

    async def send_text(self, text: str) -> StandinMessage:
        """Write a text message; `/commands` in it are marked as bot_command entities.

        A text longer than Telegram allows in one message goes as the apps send it:
        several messages, one after another (see ``splitting.py``); the last is returned.
        """
        sent = None
        for part in split_like_telegram(text) or [text]:
            sent = await self._send(text=part, entities=command_entities(part))
        assert sent is not None
        return sent

    async def send_sticker(self, emoji: str = "👍") -> StandinMessage:
        stored = self._state.store_file(TINY_PNG, "sticker", mime_type="image/webp")
        sticker = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "type": "regular",
            "width": 512,
            "height": 512,
            "is_animated": False,
            "is_video": False,
            "emoji": emoji,
            "file_size": stored.file_size,
        }
        return await self._send(sticker=sticker)

    async def send_photo(
        self, content: bytes = TINY_PNG, caption: str | None = None
    ) -> StandinMessage:
        stored = self._state.store_file(content, "photo", mime_type="image/png")
        size = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "width": 1,
            "height": 1,
            "file_size": stored.file_size,
        }
        return await self._send(photo=[size], caption=caption)

    async def send_document(
        self,
        filename: str,
        content: bytes,
        mime_type: str = "application/octet-stream",
        caption: str | None = None,
    ) -> StandinMessage:
        """Upload a file; the bot can getFile and download it."""
        stored = self._state.store_file(content, "document", filename, mime_type)
        document = {
            "file_id": stored.file_id,
            "file_unique_id": stored.file_unique_id,
            "file_name": filename,
            "mime_type": mime_type,
            "file_size": stored.file_size,
        }
        return await self._send(document=document, caption=caption)

    async def tap_reply(self, text: str) -> StandinMessage:
        """Press a button of the reply keyboard: the app sends its text as a message, or,
        for a ``request_contact`` button, the user's own contact."""
        buttons = reply_buttons(self._chat.reply_keyboard or {})
        found = next((button for button in buttons if button["text"] == text), None)
        if found is None:
            shown = reply_button_texts(self._chat.reply_keyboard or {})
            raise LookupError(f"no reply keyboard button {text!r}; shown: {shown}")
        if found.get("request_contact"):
            return await self._send(contact=self._own_contact())
        return await self.send_text(text)

    async def share_contact(self) -> StandinMessage:
        """Press the reply keyboard's "share my contact" button (``request_contact``),
        and confirm as the app asks: the user's own contact goes to the bot."""
        buttons = reply_buttons(self._chat.reply_keyboard or {})
        found = next((button for button in buttons if button.get("request_contact")), None)
        if found is None:
            shown = reply_button_texts(self._chat.reply_keyboard or {})
            raise LookupError(f"no request_contact button on the reply keyboard; shown: {shown}")
        return await self.tap_reply(found["text"])

    async def send_contact(
        self,
        phone_number: str,
        first_name: str,
        *,
        user_id: int | None = None,
        last_name: str | None = None,
    ) -> StandinMessage:
        """Send a contact card from the address book (the attachment menu), someone
        else's as a rule: it carries ``user_id`` only when that person uses Telegram."""
        contact: dict[str, Any] = {"phone_number": phone_number, "first_name": first_name}
        if last_name is not None:
            contact["last_name"] = last_name
        if user_id is not None:
            contact["user_id"] = user_id
        return await self._send(contact=contact)

    def _own_contact(self) -> dict[str, Any]:
        user = self._chat.user
        contact: dict[str, Any] = {
            "phone_number": self.phone_number,
            "first_name": user["first_name"],
            "user_id": self.user_id,
        }
        if "last_name" in user:
            contact["last_name"] = user["last_name"]
        return contact

    async def tap(self, button: str, message: StandinMessage | int | None = None) -> dict[str, Any]:
        """Press an inline button (by text, else by callback_data) on `message`, or on the
        latest bot message that has an inline keyboard. Returns the queued update."""
        target = self._tap_target(message)
        found = target.find_button(button)
        if found is None:
            raise LookupError(
                f"no inline button {button!r} on message {target.message_id}; "
                f"buttons: {target.button_texts()}"
            )
        if "callback_data" not in found:
            raise ValueError(f"button {found['text']!r} opens something; it sends no callback")
        return await self.send_callback(found["callback_data"], target)

    async def send_callback(
        self, data: str, message: StandinMessage | int | None = None
    ) -> dict[str, Any]:
        """A callback query with any data, as a modified client could forge it, hung on
        `message`, or on the latest bot message with an inline keyboard, or without one."""
        if message is None and not any(m.from_bot and m.inline_keyboard for m in self.messages):
            message = self.last_bot_message()
            if message is None:
                raise LookupError("no bot message in this chat to hang a callback on")
        target = self._tap_target(message)
        self._ensure_may_write()
        record = self._state.new_callback_query(target, data)
        self._last_query_id = record.query_id
        self._cursor = self._state.seq
        return await self._state.updates.put(
            {
                "callback_query": {
                    "id": record.query_id,
                    "from": self._chat.user,
                    "message": message_object(target, self._chat),
                    "chat_instance": f"instance-{self.chat_id}",
                    "data": record.data,
                }
            }
        )

    def _tap_target(self, message: StandinMessage | int | None) -> StandinMessage:
        if message is None:
            with_keyboard = [m for m in self.messages if m.from_bot and m.inline_keyboard]
            if not with_keyboard:
                raise LookupError("no bot message with an inline keyboard in this chat")
            return with_keyboard[-1]
        message_id = message if isinstance(message, int) else message.message_id
        live = self._chat.find(message_id)
        if live is None:
            raise LookupError(f"message {message_id} is not in the chat")
        return live

    async def block_bot(self) -> None:
        """Block the bot: its sends to this chat get 403 from now on."""
        await self._set_blocked(True)

    async def unblock_bot(self) -> None:
        await self._set_blocked(False)

    async def _set_blocked(self, blocked: bool) -> None:
        if self._chat.blocked == blocked:
            return
        self._chat.blocked = blocked
        bot = self._state.bot_user
        member: dict[str, Any] = {"status": "member", "user": bot}
        kicked: dict[str, Any] = {"status": "kicked", "user": bot, "until_date": 0}
        await self._state.updates.put(
            {
                "my_chat_member": {
                    "chat": chat_object(self._chat),
                    "from": self._chat.user,
                    "date": unix_now(),
                    "old_chat_member": member if blocked else kicked,
                    "new_chat_member": kicked if blocked else member,
                }
            }
        )

    def _ensure_may_write(self) -> None:
        if self._chat.blocked:
            raise RuntimeError("the user has blocked the bot; unblock_bot() first")

    async def _send(self, **content: Any) -> StandinMessage:
        self._ensure_may_write()
        content = {key: value for key, value in content.items() if value is not None}
        if not content.get("entities"):
            content.pop("entities", None)
        message = self._state.add_message(self._chat, self._chat.user, **content)
        self._cursor = self._state.seq
        await self._state.updates.put({"message": message_object(message, self._chat)})
        await self._state.notify()
        return message.snapshot()

    # -- waiting -------------------------------------------------------------

    # `timeout` as in asyncio.wait_for: waiting with a limit is what these helpers are for.
    async def wait_for_reply(
        self,
        predicate: MessagePredicate | None = None,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109
    ) -> StandinMessage:
        """The next bot message in this chat, new or edited, after the user's last action
        (or after the reply this returned before). A copy as it was at that moment."""

        try:
            event = await self._state.wait_for(
                lambda: next_bot_message(self._chat.events, self._cursor, predicate), timeout
            )
        except TimeoutError:
            seen = [m.text or m.caption for m in self.messages[-5:]]
            raise TimeoutError(
                f"no bot reply to user {self.user_id} within {timeout}s; chat ends with {seen}"
            ) from None
        self._cursor = event.seq
        return event.message

    async def wait_for_callback_answer(
        self,
        query_id: str | None = None,
        timeout: float = DEFAULT_WAIT,  # noqa: ASYNC109
    ) -> CallbackAnswer:
        """The bot's answerCallbackQuery for `query_id`, or for this user's latest tap."""
        wanted = query_id or self._last_query_id
        if wanted is None:
            raise LookupError("the user has not tapped an inline button yet")
        record = self._state.callback_queries[wanted]
        try:
            return await self._state.wait_for(lambda: record.answer, timeout)
        except TimeoutError:
            raise TimeoutError(f"callback query {wanted} not answered within {timeout}s") from None
