"""What the stand-in remembers: users and their chats with the bot, messages, files,
callback queries, commands and recorded calls, plus one condition to wait on changes."""

from __future__ import annotations

import asyncio
import copy
import json
import mimetypes
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Literal, TypeVar

from .clock import Clock
from .errors import bad_request
from .updates import UpdateQueue
from .webhook import WebhookDelivery

T = TypeVar("T")
EventKind = Literal["sent", "edited", "deleted"]


def unix_now() -> int:
    return int(time.time())


@dataclass
class StoredFile:
    file_id: str
    file_unique_id: str
    file_path: str
    content: bytes
    file_name: str | None = None
    mime_type: str | None = None

    @property
    def file_size(self) -> int:
        return len(self.content)


@dataclass
class StandinMessage:
    """One message as the user sees it in the chat; edits change it in place."""

    chat_id: int
    message_id: int
    sender: dict[str, Any]
    date: int
    text: str | None = None
    entities: list[dict[str, Any]] = field(default_factory=list)
    parse_mode: str | None = None
    source_text: str | None = None  # as the bot sent it, before entity parsing
    caption: str | None = None
    caption_entities: list[dict[str, Any]] = field(default_factory=list)
    document: dict[str, Any] | None = None
    photo: list[dict[str, Any]] | None = None
    sticker: dict[str, Any] | None = None
    contact: dict[str, Any] | None = None  # a shared contact: phone_number, first_name, ...
    new_chat_members: list[dict[str, Any]] | None = None  # a group's service message
    migrate_to_chat_id: int | None = None  # service: this group became that supergroup
    migrate_from_chat_id: int | None = None  # service: this supergroup was that group
    inline_keyboard: list[list[dict[str, Any]]] | None = None
    # The reply markup this message carried for the input field: a ReplyKeyboardMarkup,
    # {"remove_keyboard": True} or {"force_reply": True}.
    reply_keyboard: dict[str, Any] | None = None
    link_preview_options: dict[str, Any] | None = None
    disable_notification: bool = False
    reply_to_message_id: int | None = None
    edit_date: int | None = None
    deleted: bool = False

    @property
    def from_bot(self) -> bool:
        return bool(self.sender.get("is_bot"))

    @property
    def buttons(self) -> list[dict[str, Any]]:
        return [button for row in self.inline_keyboard or [] for button in row]

    def button_texts(self) -> list[str]:
        return [button["text"] for button in self.buttons]

    def find_button(self, text_or_data: str) -> dict[str, Any] | None:
        """An inline button by its text, or else by its callback_data."""
        for key in ("text", "callback_data"):
            for button in self.buttons:
                if button.get(key) == text_or_data:
                    return button
        return None

    def snapshot(self) -> StandinMessage:
        return copy.deepcopy(self)


@dataclass(frozen=True)
class ChatEvent:
    """A change the user saw in the chat; `message` is a copy taken at that moment."""

    seq: int
    kind: EventKind
    message: StandinMessage


@dataclass(kw_only=True)
class Chat:
    """What every chat with the bot in it has: its messages as seen there, and the
    events a member saw."""

    messages: list[StandinMessage] = field(default_factory=list)
    events: list[ChatEvent] = field(default_factory=list)
    reply_keyboard: dict[str, Any] | None = None  # the keyboard under the input field now
    last_chat_action: str | None = None
    next_message_id: int = 1

    @property
    def id(self) -> int:
        raise NotImplementedError

    def write_refusal(self) -> str | None:
        """Why the bot may not write here now (Telegram's 403 reason), None if it may."""
        raise NotImplementedError

    def visible(self) -> list[StandinMessage]:
        return [message for message in self.messages if not message.deleted]

    def find(self, message_id: Any) -> StandinMessage | None:
        for message in self.messages:
            if message.message_id == message_id and not message.deleted:
                return message
        return None


@dataclass(kw_only=True)
class PrivateChat(Chat):
    """A simulated user's private chat with the bot."""

    user: dict[str, Any]
    blocked: bool = False

    @property
    def id(self) -> int:
        return int(self.user["id"])

    def write_refusal(self) -> str | None:
        return "bot was blocked by the user" if self.blocked else None


# A bot's status in a group, as ChatMember objects name it.
PRESENT = frozenset({"member", "administrator"})


@dataclass(kw_only=True)
class GroupChat(Chat):
    """A group, supergroup or channel: several members, the bot among them or not."""

    chat_id: int  # negative, as Telegram numbers groups
    title: str
    chat_type: str = "group"  # group, supergroup or channel
    members: dict[int, dict[str, Any]] = field(default_factory=dict)  # user id -> User
    bot_status: str = "left"  # member, administrator, left or kicked
    migrated_to: int | None = None  # upgraded to this supergroup; nothing more happens here

    @property
    def id(self) -> int:
        return self.chat_id

    @property
    def bot_present(self) -> bool:
        return self.bot_status in PRESENT

    def write_refusal(self) -> str | None:
        if self.bot_present:
            return None
        kind = "channel chat" if self.chat_type == "channel" else f"{self.chat_type} chat"
        if self.bot_status == "kicked":
            return f"bot was kicked from the {kind}"
        return f"bot is not a member of the {kind}"


@dataclass
class CallbackAnswer:
    query_id: str
    text: str | None = None
    show_alert: bool = False
    url: str | None = None
    cache_time: int = 0


@dataclass
class CallbackQueryRecord:
    query_id: str
    chat_id: int
    message_id: int
    data: str
    created_at: float
    answer: CallbackAnswer | None = None


@dataclass
class RecordedCall:
    """One request to a Bot API method, in arrival order; status is set when answered
    (it stays None for a call whose client went away before the answer)."""

    method: str
    params: dict[str, Any]
    time: float
    status: int | None = None
    result: Any = None
    description: str | None = None

    @property
    def ok(self) -> bool:
        return self.status == 200


class StandinState:
    def __init__(self, bot_user: dict[str, Any], clock: Clock) -> None:
        self.bot_user = bot_user
        self.clock = clock
        self.chats: dict[int, PrivateChat] = {}
        self.groups: dict[int, GroupChat] = {}
        self.files: dict[str, StoredFile] = {}
        self.callback_queries: dict[str, CallbackQueryRecord] = {}
        self.commands: dict[tuple[str, str], list[dict[str, str]]] = {}
        self.calls: list[RecordedCall] = []
        self.updates = UpdateQueue()
        self.changed = asyncio.Condition()
        self.webhook = WebhookDelivery(self.updates, self.notify)
        self._seq = 0
        self._file_counter = 0
        self._query_counter = 0

    # -- chats and messages --------------------------------------------------

    def chat(self, chat_id: Any) -> Chat:
        """The chat a bot call names, private or group; Telegram's answer when there is none."""
        if chat_id is None or chat_id == "":
            raise bad_request("chat_id is empty")
        chat: Chat | None = None
        if isinstance(chat_id, int):
            chat = self.chats.get(chat_id) or self.groups.get(chat_id)
        if chat is None:
            raise bad_request("chat not found")
        return chat

    def add_message(self, chat: Chat, sender: dict[str, Any], **content: Any) -> StandinMessage:
        message = StandinMessage(
            chat_id=chat.id,
            message_id=chat.next_message_id,
            sender=sender,
            date=unix_now(),
            **content,
        )
        chat.next_message_id += 1
        chat.messages.append(message)
        self.log_event(chat, "sent", message)
        return message

    def log_event(self, chat: Chat, kind: EventKind, message: StandinMessage) -> ChatEvent:
        self._seq += 1
        event = ChatEvent(self._seq, kind, message.snapshot())
        chat.events.append(event)
        return event

    @property
    def seq(self) -> int:
        """The number of the latest chat event; a user's wait starts after it."""
        return self._seq

    # -- files ---------------------------------------------------------------

    def store_file(
        self,
        content: bytes,
        kind: str,
        file_name: str | None = None,
        mime_type: str | None = None,
    ) -> StoredFile:
        self._file_counter += 1
        number = self._file_counter
        extension = mimetypes.guess_extension(mime_type or "") or ""
        if file_name and "." in file_name:
            extension = "." + file_name.rsplit(".", 1)[1]
        stored = StoredFile(
            file_id=f"standin-{kind}-{number}",
            file_unique_id=f"unique-{number}",
            file_path=f"{kind}s/file_{number}{extension}",
            content=content,
            file_name=file_name,
            mime_type=mime_type,
        )
        self.files[stored.file_id] = stored
        return stored

    def file_by_path(self, file_path: str) -> StoredFile | None:
        return next((f for f in self.files.values() if f.file_path == file_path), None)

    # -- callback queries ----------------------------------------------------

    def new_callback_query(self, message: StandinMessage, data: str) -> CallbackQueryRecord:
        self._query_counter += 1
        record = CallbackQueryRecord(
            query_id=f"{message.chat_id}{self._query_counter:08d}",
            chat_id=message.chat_id,
            message_id=message.message_id,
            data=data,
            created_at=self.clock(),
        )
        self.callback_queries[record.query_id] = record
        return record

    # -- commands ------------------------------------------------------------

    @staticmethod
    def command_key(scope: Any, language_code: Any) -> tuple[str, str]:
        scope = scope or {"type": "default"}
        return json.dumps(scope, sort_keys=True), str(language_code or "")

    # -- waiting -------------------------------------------------------------

    async def notify(self) -> None:
        async with self.changed:
            self.changed.notify_all()

    async def wait_for(self, check: Callable[[], T | None], seconds: float) -> T:
        """Wait until `check` returns something other than None; TimeoutError after `seconds`."""
        async with asyncio.timeout(seconds), self.changed:
            while (found := check()) is None:
                await self.changed.wait()
            return found
