"""The baseline: a bare aiogram echo bot, run as ``python -m bench.echo_bot``.

It answers a message with its text and a button tap with an answer to the callback query
and then a message, with aiogram's defaults (long polling, updates handled as tasks).
Nothing else: no storage, no middleware, no SMS API. It reads ``BOT_TOKEN`` and
``TELEGRAM_API_URL`` from the environment, as the bot does.
"""

from __future__ import annotations

import asyncio
import os

from aiogram import Bot, Dispatcher, Router
from aiogram.client.session.aiohttp import AiohttpSession
from aiogram.client.telegram import TelegramAPIServer
from aiogram.types import CallbackQuery, Message

router = Router(name="echo")


@router.message()
async def echo(message: Message) -> None:
    await message.answer(message.text or "…")


@router.callback_query()
async def tapped(query: CallbackQuery) -> None:
    await query.answer()
    if query.message is not None:
        await query.message.answer(query.data or "…")


async def run() -> None:
    session = AiohttpSession(api=TelegramAPIServer.from_base(os.environ["TELEGRAM_API_URL"]))
    bot = Bot(os.environ["BOT_TOKEN"], session=session)
    dispatcher = Dispatcher()
    dispatcher.include_router(router)
    await dispatcher.start_polling(bot, polling_timeout=10, handle_signals=True)


if __name__ == "__main__":
    asyncio.run(run())
