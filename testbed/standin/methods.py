"""The Bot API methods the stand-in serves, by name; each checked as Telegram checks it."""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from . import validation
from .errors import QUERY_TOO_OLD, bad_request, forbidden, not_found, upgraded
from .messaging import ChatMessaging
from .serialize import file_object
from .state import CallbackAnswer, GroupChat, StandinState

Method = Callable[[dict[str, Any]], Awaitable[Any]]
# Told when the bot leaves a group by itself (the SimGroup, which queues its update).
LeaveListener = Callable[[GroupChat], Awaitable[Any]]
GET_UPDATES_LIMIT = 100


class BotApiMethods:
    def __init__(self, state: StandinState, callback_answer_timeout: float = 15.0) -> None:
        self.state = state
        self.messaging = ChatMessaging(state)
        # Telegram refuses answers to callback queries older than about this many seconds.
        self.callback_answer_timeout = callback_answer_timeout
        self.on_leave: LeaveListener | None = None
        methods: dict[str, Method] = {
            "getMe": self.get_me,
            "getUpdates": self.get_updates,
            "setWebhook": self.state.webhook.set,
            "deleteWebhook": self.state.webhook.delete,
            "getWebhookInfo": self.get_webhook_info,
            "setMyCommands": self.set_my_commands,
            "getMyCommands": self.get_my_commands,
            "deleteMyCommands": self.delete_my_commands,
            "sendMessage": self.messaging.send_message,
            "sendDocument": self.messaging.send_document,
            "sendPhoto": self.messaging.send_photo,
            "editMessageText": self.messaging.edit_message_text,
            "editMessageReplyMarkup": self.messaging.edit_message_reply_markup,
            "deleteMessage": self.messaging.delete_message,
            "answerCallbackQuery": self.answer_callback_query,
            "sendChatAction": self.messaging.send_chat_action,
            "getFile": self.get_file,
            "leaveChat": self.leave_chat,
            "close": self.always_true,
            "logOut": self.always_true,
        }
        # Method names are case-insensitive in the Bot API.
        self._methods = {name.lower(): method for name, method in methods.items()}

    async def call(self, method: str, params: dict[str, Any]) -> Any:
        handler = self._methods.get(method.lower())
        if handler is None:
            raise not_found()
        return await handler(params)

    # -- bot and polling -------------------------------------------------------

    async def get_me(self, params: dict[str, Any]) -> dict[str, Any]:
        return {
            **self.state.bot_user,
            "can_join_groups": True,
            "can_read_all_group_messages": False,
            "supports_inline_queries": False,
            "can_connect_to_business": False,
            "has_main_web_app": False,
        }

    async def get_updates(self, params: dict[str, Any]) -> list[dict[str, Any]]:
        limit = params.get("limit", GET_UPDATES_LIMIT)
        limit = min(max(limit, 1), GET_UPDATES_LIMIT) if isinstance(limit, int) else 100
        timeout = params.get("timeout", 0)
        timeout = max(timeout, 0) if isinstance(timeout, int) else 0
        offset = params.get("offset")
        allowed = params.get("allowed_updates")
        return await self.state.updates.poll(
            offset if isinstance(offset, int) else None,
            limit,
            timeout,
            allowed if isinstance(allowed, list) else None,
        )

    async def get_webhook_info(self, params: dict[str, Any]) -> dict[str, Any]:
        return self.state.webhook.info()

    async def always_true(self, params: dict[str, Any]) -> bool:
        return True

    # -- commands --------------------------------------------------------------

    def _command_key(self, params: dict[str, Any]) -> tuple[str, str]:
        return self.state.command_key(params.get("scope"), params.get("language_code"))

    async def set_my_commands(self, params: dict[str, Any]) -> bool:
        commands = validation.bot_commands(params.get("commands"))
        self.state.commands[self._command_key(params)] = commands
        return True

    async def get_my_commands(self, params: dict[str, Any]) -> list[dict[str, str]]:
        return list(self.state.commands.get(self._command_key(params), []))

    async def delete_my_commands(self, params: dict[str, Any]) -> bool:
        self.state.commands.pop(self._command_key(params), None)
        return True

    # -- callback queries and files --------------------------------------------

    async def answer_callback_query(self, params: dict[str, Any]) -> bool:
        text = validation.callback_answer_text(params.get("text"))
        record = self.state.callback_queries.get(str(params.get("callback_query_id", "")))
        if (
            record is None
            or record.answer is not None
            or self.state.clock() - record.created_at > self.callback_answer_timeout
        ):
            raise bad_request(QUERY_TOO_OLD)
        record.answer = CallbackAnswer(
            query_id=record.query_id,
            text=text,
            show_alert=bool(params.get("show_alert")),
            url=params.get("url"),
            cache_time=int(params.get("cache_time") or 0),
        )
        await self.state.notify()
        return True

    async def leave_chat(self, params: dict[str, Any]) -> bool:
        chat = self.state.chat(params.get("chat_id"))
        if not isinstance(chat, GroupChat):
            raise bad_request("chat member status can't be changed in private chats")
        if chat.migrated_to is not None:
            raise upgraded(chat.migrated_to)
        refusal = chat.write_refusal()
        if refusal is not None:
            raise forbidden(refusal)
        if self.on_leave is not None:
            await self.on_leave(chat)
        else:
            chat.bot_status = "left"
        return True

    async def get_file(self, params: dict[str, Any]) -> dict[str, Any]:
        stored = self.state.files.get(str(params.get("file_id", "")))
        if stored is None:
            raise bad_request("invalid file_id")
        return file_object(stored)
