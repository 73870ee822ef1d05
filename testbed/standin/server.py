"""The stand-in Bot API server: api.telegram.org's HTTP face on a local port."""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Awaitable, Callable, Iterable
from types import TracebackType
from typing import Any, Self

from aiohttp import web

from .client import SimUser
from .clock import Clock, monotonic
from .control import control_routes
from .errors import ApiError, unauthorized
from .faults import FaultPlan
from .flood import FloodControl, FloodLimits
from .groups import SimGroup
from .methods import BotApiMethods
from .params import read_params
from .routes import RouteRegistry
from .serialize import user_object
from .state import GroupChat, PrivateChat, RecordedCall, StandinMessage, StandinState
from .webhook import WebhookDelivery

MAX_UPLOAD_BYTES = 50 * 1024 * 1024  # Telegram's limit for files a bot sends
SHUTDOWN_SECONDS = 1.0
# The Bot API's own paths: they carry the bot token, and the bot is no browser.
BOT_API_PATH = re.compile(r"^/(?:file/)?bot[^/]+/")
# Looks at a request to anything else (the control API, added routes): a response that
# refuses it, or None to serve it.
Guard = Callable[[web.Request], Awaitable[web.StreamResponse | None]]


class BotApiStandin:
    """Serves `POST {url}/bot{token}/{method}` and `GET {url}/file/bot{token}/{path}`.

    Start it with `await BotApiStandin.start()` and point aiogram at it with
    `TelegramAPIServer.from_base(standin.url)`.
    """

    def __init__(
        self,
        bot_token: str = "123456:TEST",
        bot_username: str = "phoenix_sms_bot",
        bot_first_name: str = "Phoenix SMS",
        clock: Clock = monotonic,
    ) -> None:
        self.token = bot_token
        bot_id = int(bot_token.split(":", 1)[0])
        bot_user = user_object(bot_id, bot_first_name, username=bot_username, is_bot=True)
        self.state = StandinState(bot_user, clock)
        self.methods = BotApiMethods(self.state)
        self.faults = FaultPlan()
        self.routes = RouteRegistry()
        self._users: dict[int, SimUser] = {}
        self._groups: dict[int, SimGroup] = {}
        self.methods.on_leave = self._bot_left
        self._runner: web.AppRunner | None = None
        self.url = ""
        # None: the control API answers anyone who reaches it (tests on loopback); the
        # sandbox sets one so that only its page is answered.
        self.guard: Guard | None = None

    # -- life cycle ----------------------------------------------------------

    @classmethod
    async def start(
        cls,
        host: str = "127.0.0.1",
        port: int = 0,
        bot_token: str = "123456:TEST",
        bot_username: str = "phoenix_sms_bot",
        *,
        bot_first_name: str = "Phoenix SMS",
        clock: Clock = monotonic,
    ) -> Self:
        standin = cls(bot_token, bot_username, bot_first_name, clock)
        await standin._serve(host, port)
        return standin

    async def _serve(self, host: str, port: int) -> None:
        app = web.Application(client_max_size=MAX_UPLOAD_BYTES, middlewares=[self._guarded])
        app.router.add_route("*", "/bot{token}/{method}", self._bot_method)
        app.router.add_get("/file/bot{token}/{file_path:.+}", self._download)
        app.router.add_routes(control_routes(self))
        app.router.add_route("*", "/{tail:.*}", self.routes.handle)
        # Handlers of disconnected clients are cancelled: an abandoned long poll goes away.
        self._runner = web.AppRunner(
            app, handler_cancellation=True, shutdown_timeout=SHUTDOWN_SECONDS, access_log=None
        )
        await self._runner.setup()
        site = web.TCPSite(self._runner, host, port)
        await site.start()
        bound_port = self._runner.addresses[0][1]
        self.url = f"http://{host}:{bound_port}"

    async def stop(self) -> None:
        await self.state.webhook.close()
        await self.state.updates.close()
        if self._runner is not None:
            await self._runner.cleanup()
            self._runner = None

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.stop()

    # -- HTTP handlers -------------------------------------------------------

    @web.middleware
    async def _guarded(
        self, request: web.Request, handler: Callable[[web.Request], Awaitable[web.StreamResponse]]
    ) -> web.StreamResponse:
        if self.guard is not None and not BOT_API_PATH.match(request.path):
            refusal = await self.guard(request)
            if refusal is not None:
                return refusal
        return await handler(request)

    async def _bot_method(self, request: web.Request) -> web.Response:
        call = RecordedCall(request.match_info["method"], {}, time.time())
        self.state.calls.append(call)
        await self.state.notify()
        try:
            if request.match_info["token"] != self.token:
                raise unauthorized()
            call.params = await read_params(request)
            planned = self.faults.take(call.method)
            if planned is not None:
                raise planned
            call.result = await self.methods.call(call.method, call.params)
            call.status, body = 200, {"ok": True, "result": call.result}
        except ApiError as error:
            call.status, call.description, body = error.status, error.description, error.payload()
        except asyncio.CancelledError:
            # the client went away first, e.g. a long poll abandoned when polling stopped
            call.description = "client disconnected before the answer"
            raise
        await self.state.notify()
        return web.json_response(body, status=call.status)

    async def _download(self, request: web.Request) -> web.Response:
        stored = self.state.file_by_path(request.match_info["file_path"])
        if request.match_info["token"] != self.token:
            error = unauthorized()
        elif stored is None:
            error = ApiError(404, "Not Found")
        else:
            return web.Response(
                body=stored.content,
                content_type=stored.mime_type or "application/octet-stream",
            )
        return web.json_response(error.payload(), status=error.status)

    def add_routes(self, routes: Iterable[Any]) -> None:
        """Serve extra aiohttp routes (e.g. a chat page) next to the Bot API, even after
        start; read their placeholders with `routes.route_params(request)`."""
        self.routes.add_routes(routes)

    @property
    def webhook(self) -> WebhookDelivery:
        """The webhook set with setWebhook, its deliveries, and failures to plan."""
        return self.state.webhook

    # -- the recorded calls ----------------------------------------------------

    @property
    def calls(self) -> list[RecordedCall]:
        return list(self.state.calls)

    def calls_to(self, method: str) -> list[RecordedCall]:
        return [call for call in self.state.calls if call.method.lower() == method.lower()]

    async def wait_for_call(
        self,
        method: str,
        count: int = 1,
        timeout: float = 5.0,  # noqa: ASYNC109 - a waiting helper, like SimUser.wait_for_reply
        *,
        answered: bool = True,
    ) -> RecordedCall:
        """Wait until `count` calls to `method` were answered (or, with answered=False,
        had arrived); returns the count-th one."""

        def found() -> RecordedCall | None:
            calls = self.calls_to(method)
            if answered:
                calls = [call for call in calls if call.status is not None]
            return calls[count - 1] if len(calls) >= count else None

        return await self.state.wait_for(found, timeout)

    @property
    def rate_limited_count(self) -> int:
        """How many 429 Too Many Requests answers were given."""
        return sum(1 for call in self.state.calls if call.status == 429)

    # -- users and updates -----------------------------------------------------

    def user(
        self,
        user_id: int,
        first_name: str = "Ann",
        language_code: str | None = "ru",
        username: str | None = None,
        last_name: str | None = None,
        phone_number: str | None = None,
    ) -> SimUser:
        """The simulated user with this id, created with a private chat on first use
        (``phone_number``: their account's, which sharing their contact sends)."""
        existing = self._users.get(user_id)
        if existing is not None:
            return existing
        user = user_object(
            user_id,
            first_name,
            last_name=last_name,
            username=username,
            language_code=language_code,
        )
        chat = self.state.chats[user_id] = PrivateChat(user=user)
        sim_user = self._users[user_id] = SimUser(self.state, chat, phone_number)
        return sim_user

    def group(
        self,
        chat_id: int,
        title: str = "Team",
        members: Iterable[SimUser] = (),
        *,
        chat_type: str = "group",
    ) -> SimGroup:
        """The group with this (negative) id, created on first use with these members;
        the bot is not in it until a member adds it."""
        existing = self._groups.get(chat_id)
        if existing is None:
            if chat_id >= 0 or chat_type not in ("group", "supergroup", "channel"):
                raise ValueError("a group has a negative id and is a group, supergroup or channel")
            chat = self.state.groups[chat_id] = GroupChat(
                chat_id=chat_id, title=title, chat_type=chat_type
            )
            existing = self._groups[chat_id] = SimGroup(self.state, chat, self._groups)
        existing.join(*members)
        return existing

    @property
    def groups(self) -> list[SimGroup]:
        return list(self._groups.values())

    async def _bot_left(self, chat: GroupChat) -> None:
        await self._groups[chat.id].bot_left()

    @property
    def users(self) -> list[SimUser]:
        return list(self._users.values())

    def chat_messages(self, chat_id: int) -> list[StandinMessage]:
        return self.state.chat(chat_id).visible()

    async def enqueue_update(self, update: dict[str, Any]) -> dict[str, Any]:
        """Queue a raw update for getUpdates; returns it with its update_id."""
        return await self.state.updates.put(update)

    async def redeliver(self, update: dict[str, Any]) -> dict[str, Any]:
        """Deliver the same update again under a new update_id, as Telegram sometimes does
        with a tap: the callback_query and its id stay the same."""
        again = {key: value for key, value in update.items() if key != "update_id"}
        return await self.state.updates.put(again)

    # -- behaviour switches ----------------------------------------------------

    def enable_flood_control(self, limits: FloodLimits | None = None) -> None:
        """Enforce Telegram's rate limits (about 30 messages a second overall and one a
        second per chat, with a small burst), answering 429 with retry_after."""
        self.methods.messaging.flood = FloodControl(limits or FloodLimits(), self.state.clock)

    def disable_flood_control(self) -> None:
        self.methods.messaging.flood = None

    def fail_next(
        self, method: str, status: int, description: str, retry_after: int | None = None
    ) -> None:
        """Answer the next call to `method` with this error instead of serving it."""
        self.faults.fail_next(method, status, description, retry_after)

    def retry_after_next(self, method: str, seconds: int) -> None:
        """Answer the next call to `method` with 429 and parameters.retry_after."""
        self.faults.retry_after_next(method, seconds)

    def commands(
        self, scope: dict[str, Any] | None = None, language_code: str = ""
    ) -> list[dict[str, str]] | None:
        """The commands set for this scope and language, None if never set."""
        return self.state.commands.get(self.state.command_key(scope, language_code))

    def menu_for(self, user_id: int, app_language: str) -> list[dict[str, str]]:
        """The command menu Telegram's app shows in a private chat: the narrowest scope
        that has any, with the app's language code before none (Bot API, BotCommandScope)."""
        scopes: list[dict[str, Any]] = [
            {"type": "chat", "chat_id": user_id},
            {"type": "all_private_chats"},
            {"type": "default"},
        ]
        for scope in scopes:
            for code in (app_language, ""):
                found = self.commands(scope, code)
                if found:
                    return found
        return []
