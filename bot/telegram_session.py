"""The aiogram session the bot talks to the Bot API through."""

from __future__ import annotations

import time
from typing import Any

from aiogram import Bot
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.methods import TelegramMethod
from aiogram.methods.base import Response, TelegramType

# Response[<result type>] for every result type answered so far, held for good.
_RESPONSE_MODELS: dict[Any, type[Response[Any]]] = {}


class BotSession(AiohttpSession):
    """aiogram's aiohttp session, minus a rebuild of a pydantic model per answer and a
    pointless wait at close.

    aiogram reads every answer with ``Response[<the method's result type>]``. pydantic
    keeps such parametrised models only weakly, so under load they are collected and
    rebuilt again and again, each rebuild a few milliseconds of schema building in the
    event loop (measured: a third of the bot's CPU with 200 users at once). Holding each
    one makes it a one-time cost.

    It also remembers when Telegram last answered (for the readiness check).
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.last_heard: float | None = None  # time.monotonic()

    def heard_from_telegram(self) -> None:
        """Telegram answered a call, or delivered an update to the webhook."""
        self.last_heard = time.monotonic()

    def check_response(
        self, bot: Bot, method: TelegramMethod[TelegramType], status_code: int, content: str
    ) -> Response[TelegramType]:
        # Any answer but a server error: Telegram is there, even when it refuses the call.
        if status_code < 500:
            self.heard_from_telegram()
        returning = method.__returning__
        if returning not in _RESPONSE_MODELS:
            _RESPONSE_MODELS[returning] = Response[returning]  # type: ignore[valid-type]
        return super().check_response(bot, method, status_code, content)

    async def close(self) -> None:
        # aiogram waits 250 ms after closing for TLS connections to shut down gracefully;
        # a plain-http Bot API server (a local one, or the stand-in) has none to wait for.
        if self.api.base.startswith("https://"):
            await super().close()
        elif self._session is not None and not self._session.closed:
            await self._session.close()
