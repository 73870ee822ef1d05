"""The bot process: what ``python -m bot`` opens, runs and closes, in that order.

Read from :meth:`BotApp.open` down: the database, the SMS API client, the Bot API
client, the outbox every message the bot starts by itself goes through, the dispatcher
with its routers, and the poller and the recurring dispatches' keeper beside it (and the
periodic backup, when BACKUP_DIR is set). The dispatcher's start-up hook starts them and
its shutdown hook stops them, before the sessions and the database close.
:meth:`BotApp.run` takes updates by long polling, or on the webhook when WEBHOOK_URL is
set (``bot/webhook.py``), with the health listener beside it when HEALTH_LISTEN is set
(``bot/health.py``).

Tests build the same object against the emulator and the Bot API stand-in, so the code
path is the production one; only the URLs differ.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager, suppress
from dataclasses import dataclass, field
from datetime import timedelta

from aiogram import Bot, Dispatcher
from aiogram.client.default import DefaultBotProperties
from aiogram.client.telegram import TelegramAPIServer
from aiogram.enums import ParseMode
from aiogram.fsm.storage.memory import SimpleEventIsolation

from bot.backup import PeriodicBackup
from bot.health import HealthServer, Readiness
from bot.instance_lock import InstanceLock
from bot.telegram_session import BotSession
from bot.webhook import WebhookServer
from core.clock import Clock
from core.metrics import Metrics
from core.recurring import RecurringKeeper
from core.reports import WeeklyDigest
from core.settings import Settings
from core.sms import SmsApiClient
from core.sms.recorder import ExchangeRecorder
from core.sms.redaction import install_secret_redaction
from core.watch import Poller
from handlers import build_router
from handlers.access.gate import AccessMiddleware
from handlers.common.command_menu import register_commands
from handlers.common.metrics import watch_updates
from handlers.common.outbox import Outbox
from handlers.notify.groups import TelegramChannelMessenger
from handlers.notify.messenger import TelegramMessenger
from handlers.recurring.notices import TelegramRecurringNotifier
from handlers.reports.digest import TelegramDigestSender
from storage import Storage

log = logging.getLogger(__name__)

# Handlers still running when polling stops get this long to finish.
IN_FLIGHT_GRACE_SECONDS = 5.0


def create_bot(settings: Settings) -> Bot:
    session = BotSession(api=TelegramAPIServer.from_base(settings.TELEGRAM_API_URL))
    return Bot(
        token=settings.BOT_TOKEN.get_secret_value(),
        session=session,
        default=DefaultBotProperties(parse_mode=ParseMode.HTML, link_preview_is_disabled=True),
    )


def create_sms_client(settings: Settings, metrics: Metrics | None = None) -> SmsApiClient:
    recorder = None
    if settings.SMS_API_RECORD_DIR is not None:
        recorder = ExchangeRecorder(settings.SMS_API_RECORD_DIR, settings.secrets())
    return SmsApiClient(
        settings.SMS_API_URL,
        settings.SMS_API_TOKEN,
        settings.timezone,
        recorder=recorder,
        metrics=metrics,
    )


@dataclass
class BotApp:
    settings: Settings
    clock: Clock
    store: Storage
    sms: SmsApiClient
    bot: Bot
    outbox: Outbox
    poller: Poller
    keeper: RecurringKeeper
    dispatcher: Dispatcher
    lock: InstanceLock
    metrics: Metrics
    digest: WeeklyDigest
    backups: PeriodicBackup | None = None  # BACKUP_DIR unset: none
    _webhook: WebhookServer | None = field(default=None, init=False)
    _stop_requested: asyncio.Event = field(default_factory=asyncio.Event, init=False)

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
        clock = Clock()
        metrics = Metrics(process=True)
        store: Storage | None = None
        try:
            store = await Storage.open(
                settings.DATABASE_PATH,
                balance_threshold=settings.BALANCE_THRESHOLD,
                clock=clock.now,
            )
            sms = create_sms_client(settings, metrics)
            bot = create_bot(settings)
            # A group that became a supergroup takes its alert binding to its new id.
            outbox = Outbox(bot, store.users, metrics=metrics, chat_moved=store.group_alerts.move)
            poller = Poller(
                store=store,
                sms=sms,
                messenger=TelegramMessenger(outbox, settings.timezone),
                clock=clock,
                interval=timedelta(seconds=settings.POLL_INTERVAL),
                tz=settings.timezone,
                metrics=metrics,
                channels=TelegramChannelMessenger(outbox, settings.timezone),
            )
            digest = WeeklyDigest(
                store=store,
                sender=TelegramDigestSender(outbox, store, settings.timezone),
                clock=clock,
                tz=settings.timezone,
            )
            keeper = RecurringKeeper(
                store=store,
                sms=sms,
                notifier=TelegramRecurringNotifier(outbox, store, settings.timezone),
                clock=clock,
                tz=settings.timezone,
                interval=timedelta(seconds=settings.POLL_INTERVAL),
            )
            # Event isolation only serialises one user's updates inside this process; the
            # exactly-once send is decided in SQLite by the draft's guarded state change.
            dispatcher = Dispatcher(
                storage=store.fsm,
                events_isolation=SimpleEventIsolation(),
                settings=settings,
                store=store,
                sms=sms,
                clock=clock,
                outbox=outbox,
                demo_mode=demo,  # only `python -m bot demo`: the SMS API is the emulator
            )
        except BaseException:
            if store is not None:
                await store.close()
            lock.release()
            raise
        backups = PeriodicBackup.from_settings(settings, store.db)
        app = cls(
            settings, clock, store, sms, bot, outbox, poller, keeper, dispatcher, lock, metrics,
            digest, backups,
        )  # fmt: skip
        # First, so that every update is counted and timed, a stranger's too; in JSON
        # logs each one is a line at INFO.
        per_update = logging.INFO if settings.LOG_FORMAT == "json" else logging.DEBUG
        watch_updates(dispatcher, metrics, log_level=per_update)
        # On the update itself, so messages, callback queries and anything added later
        # all pass the same check before any router sees them.
        dispatcher.update.outer_middleware(AccessMiddleware())
        dispatcher.include_router(build_router())
        dispatcher.startup.register(app._on_startup)
        dispatcher.shutdown.register(app._on_shutdown)
        return app

    async def _on_startup(self) -> None:
        await self.store.users.ensure_admins(self.settings.ADMIN_IDS)
        await register_commands(self.bot, self.store, self.settings.ADMIN_IDS)
        self.poller.start()
        self.keeper.start()
        self.digest.start()
        if self.backups is not None:
            self.backups.start()

    async def _on_shutdown(self) -> None:
        # aiogram stops reading updates but does not wait for handlers already running.
        polled = getattr(self.dispatcher, "_handle_update_tasks", set())
        delivered = self._webhook.running if self._webhook is not None else set()
        running = [task for task in polled | delivered if not task.done()]
        if running:
            log.info("Waiting for %d handler(s) to finish", len(running))
            _, pending = await asyncio.wait(running, timeout=IN_FLIGHT_GRACE_SECONDS)
            for task in pending:
                task.cancel()
            for task in pending:
                with suppress(asyncio.CancelledError, Exception):
                    await task
        self.outbox.close()  # a wait for Telegram's flood control ends at once
        await self.keeper.stop()  # a create under way is finished first
        await self.poller.stop()
        await self.digest.stop()
        if self.backups is not None:
            await self.backups.stop()  # a copy under way is finished first

    async def run(self, *, handle_signals: bool = True, polling_timeout: int = 10) -> None:
        """Take updates until stopped (SIGINT/SIGTERM or :meth:`stop`), then close
        everything: by long polling, or on the webhook when WEBHOOK_URL is set."""
        try:
            async with self._health_listener():
                if self.settings.WEBHOOK_URL:
                    await self._serve_webhook(handle_signals)
                else:
                    await self._poll(handle_signals, polling_timeout)
        finally:
            await self.close()

    async def _poll(self, handle_signals: bool, polling_timeout: int) -> None:
        await self.bot.delete_webhook(drop_pending_updates=False)
        await self.dispatcher.start_polling(
            self.bot,
            handle_signals=handle_signals,
            polling_timeout=polling_timeout,
            allowed_updates=self.dispatcher.resolve_used_update_types(),
        )

    async def _serve_webhook(self, handle_signals: bool) -> None:
        webhook = self._webhook = WebhookServer(
            self.dispatcher, self.bot, self.settings, self._session.heard_from_telegram
        )
        # Start-up hooks, then listening, then setWebhook; stop() runs the shutdown hooks.
        await webhook.start(self.dispatcher.resolve_used_update_types())
        try:
            await self._wait_for_stop(handle_signals)
        finally:
            await webhook.stop()

    async def _wait_for_stop(self, handle_signals: bool) -> None:
        loop = asyncio.get_running_loop()
        signals = (signal.SIGINT, signal.SIGTERM) if handle_signals else ()
        for number in signals:
            loop.add_signal_handler(number, self._stop_requested.set)
        try:
            await self._stop_requested.wait()
        finally:
            for number in signals:
                loop.remove_signal_handler(number)

    @asynccontextmanager
    async def _health_listener(self) -> AsyncIterator[None]:
        listen = self.settings.HEALTH_LISTEN
        if listen is None:
            yield
            return
        readiness = Readiness(
            bot=self.bot,
            session=self._session,
            poller=self.poller,
            store=self.store,
            poll_interval=self.settings.POLL_INTERVAL,
        )
        server = HealthServer(listen, readiness, self.metrics, self.store, self.settings.secrets())
        await server.start()
        try:
            yield
        finally:
            await server.stop()

    @property
    def _session(self) -> BotSession:
        session = self.bot.session
        assert isinstance(session, BotSession), "create_bot makes every Bot's session"
        return session

    async def stop(self) -> None:
        self._stop_requested.set()  # the webhook
        with suppress(RuntimeError):  # not polling (yet or any more)
            await self.dispatcher.stop_polling()

    async def close(self) -> None:
        await self.keeper.stop()  # safe twice, and when never started
        await self.poller.stop()  # safe twice: it may never have been started
        await self.digest.stop()  # safe twice, too
        if self.backups is not None:
            await self.backups.stop()  # safe twice, too
        await self.bot.session.close()
        await self.sms.aclose()
        await self.store.close()
        self.lock.release()
