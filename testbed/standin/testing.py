"""Helpers for tests that run a real aiogram bot against the stand-in."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from typing import Any

from aiogram import Bot, Dispatcher
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer

from .server import BotApiStandin

POLLING_START_SECONDS = 5.0


class LoopbackSession(AiohttpSession):
    """aiogram's session for a plain-HTTP local server. Closing skips aiogram's 250 ms
    grace for SSL connections to close: there are none on loopback."""

    async def close(self) -> None:
        if self._session is not None and not self._session.closed:
            await self._session.close()


def bot_for(standin: BotApiStandin, **bot_kwargs: Any) -> Bot:
    """A Bot whose requests go to the stand-in instead of api.telegram.org."""
    session = LoopbackSession(api=TelegramAPIServer.from_base(standin.url))
    return Bot(standin.token, session=session, **bot_kwargs)


@asynccontextmanager
async def polling(
    dispatcher: Dispatcher, bot: Bot, standin: BotApiStandin, **polling_kwargs: Any
) -> AsyncIterator[asyncio.Task[None]]:
    """Run `dispatcher.start_polling` while the block runs; stop it cleanly after.

    Entering waits for the first getUpdates, so updates queued in the block are fetched
    by a poll that is already under way. Leaving closes the bot's session.
    """
    first_poll = len(standin.calls_to("getUpdates")) + 1
    task = asyncio.create_task(
        dispatcher.start_polling(bot, handle_signals=False, **polling_kwargs)
    )
    waiting = asyncio.create_task(
        standin.wait_for_call(
            "getUpdates", count=first_poll, timeout=POLLING_START_SECONDS, answered=False
        )
    )
    done, _ = await asyncio.wait({task, waiting}, return_when=asyncio.FIRST_COMPLETED)
    if task in done:
        waiting.cancel()
        await task  # polling ended before it began: let its error out
        raise RuntimeError("polling stopped before its first getUpdates")
    await waiting
    try:
        yield task
    finally:
        await dispatcher.stop_polling()
        await task
