"""The bot process: what ``python -m bot`` opens, runs and closes, in that order.

Tests build the same object against the emulator and the Bot API stand-in, so the code
path is the production one; only the URLs differ.
"""

from __future__ import annotations

import asyncio
import logging
from contextlib import suppress
from dataclasses import dataclass

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.base import BaseEventIsolation
from aiogram.fsm.storage.memory import SimpleEventIsolation

from bot.instance_lock import InstanceLock
from bot.telegram_session import BotSession
from core.settings import Settings
from core.sms import SmsApiClient
from core.sms.redaction import install_secret_redaction
from handlers import build_router, release_router
from handlers.access.gate import AccessMiddleware
from handlers.start.command_menu import register_commands
from storage import Storage

log = logging.getLogger(__name__)

# Handlers still running when polling stops get this long to finish.
IN_FLIGHT_GRACE_SECONDS = 5.0


def create_bot(settings: Settings) -> Bot:
    session = BotSession(api=TelegramAPIServer.from_base(settings.TELEGRAM_API_URL))
    return Bot(
        token=settings.BOT_TOKEN.get_secret_value(),
        session=session,
        default=DefaultBotProperties(
            parse_mode=ParseMode.HTML,
            link_preview_is_disabled=True,
        ),
    )


def create_sms_client(settings: Settings) -> SmsApiClient:
    return SmsApiClient(settings.SMS_API_URL, settings.SMS_API_TOKEN, settings.timezone)


def create_dispatcher(
    settings: Settings,
    store: Storage,
    sms: SmsApiClient,
    events_isolation: BaseEventIsolation | None = None,
    *,
    demo: bool = False,
) -> Dispatcher:
    # Event isolation only serialises one user's updates inside this process; the
    # exactly-once send is decided in SQLite by the draft's guarded state change.
    dispatcher = Dispatcher(
        storage=store.fsm,
        events_isolation=events_isolation or SimpleEventIsolation(),
        settings=settings,
        store=store,
        sms=sms,
        demo_mode=demo,  # only `python -m bot demo` sets it: the SMS API is the emulator
    )
    # On the update itself, so messages, callback queries and anything added later
    # all pass the same check before any router sees them.
    dispatcher.update.outer_middleware(AccessMiddleware())
    dispatcher.include_router(build_router())
    dispatcher.startup.register(_on_startup)
    dispatcher.shutdown.register(_on_shutdown)
    return dispatcher


async def _on_startup(bot: Bot, settings: Settings, store: Storage) -> None:
    await store.users.ensure_admins(settings.ADMIN_IDS)
    await register_commands(bot, settings.ADMIN_IDS)


async def _on_shutdown(dispatcher: Dispatcher) -> None:
    # aiogram stops reading updates but does not wait for handlers already running.
    running = [task for task in getattr(dispatcher, "_handle_update_tasks", ()) if not task.done()]
    if running:
        log.info("Waiting for %d handler(s) to finish", len(running))
        _, pending = await asyncio.wait(running, timeout=IN_FLIGHT_GRACE_SECONDS)
        for task in pending:
            task.cancel()
        for task in pending:
            with suppress(asyncio.CancelledError, Exception):
                await task


@dataclass
class BotApp:
    settings: Settings
    store: Storage
    sms: SmsApiClient
    bot: Bot
    dispatcher: Dispatcher
    lock: InstanceLock

    @classmethod
    async def open(
        cls, settings: Settings, lock: InstanceLock | None = None, *, demo: bool = False
    ) -> BotApp:
        """Takes the instance lock unless the caller already holds it. ``demo`` marks the
        screens that show SMS API data as coming from the embedded emulator."""
        # Whoever configured logging, no record of this process may carry a token.
        install_secret_redaction(*settings.secrets())
        if lock is None:
            lock = InstanceLock(settings.DATABASE_PATH)
            lock.acquire()
        store: Storage | None = None
        try:
            store = await Storage.open(
                settings.DATABASE_PATH, balance_threshold=settings.BALANCE_THRESHOLD
            )
            bot = create_bot(settings)
            sms = create_sms_client(settings)
            dispatcher = create_dispatcher(settings, store, sms, demo=demo)
        except BaseException:
            if store is not None:
                await store.close()
            lock.release()
            raise
        return cls(settings, store, sms, bot, dispatcher, lock)

    async def run(self, *, handle_signals: bool = True, polling_timeout: int = 10) -> None:
        """Poll until stopped (SIGINT/SIGTERM or :meth:`stop`), then close everything."""
        try:
            await self.bot.delete_webhook(drop_pending_updates=False)
            await self.dispatcher.start_polling(
                self.bot,
                handle_signals=handle_signals,
                polling_timeout=polling_timeout,
                allowed_updates=self.dispatcher.resolve_used_update_types(),
            )
        finally:
            await self.close()

    async def stop(self) -> None:
        with suppress(RuntimeError):  # not polling (yet or any more)
            await self.dispatcher.stop_polling()

    async def close(self) -> None:
        for root in list(self.dispatcher.sub_routers):
            release_router(root)
        await self.bot.session.close()
        await self.sms.aclose()
        await self.store.close()
        self.lock.release()
