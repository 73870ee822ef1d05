"""What the poller measurements share: their tokens, settings, the emulator, the stand-in
and the bot's clients opened and closed together, and a poller wired as the bot wires it
(groups included), reading the emulator's clock."""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path

from aiogram import Bot

from bot.app import create_bot, create_sms_client
from core.clock import Clock
from core.settings import Settings
from core.sms import SmsApiClient
from core.watch import Poller
from handlers.common.outbox import Outbox
from handlers.notify.groups import TelegramChannelMessenger
from handlers.notify.messenger import TelegramMessenger
from storage import Storage
from testbed.emulator import RunningEmulator, start_emulator
from testbed.standin import BotApiStandin, FloodLimits

BOT_TOKEN = "123456:BENCH-bot-token-abcdefghijklmnopqrstuvwxyz"
SMS_TOKEN = "bench-sms-token"
PHONE = "380711234567"


def settings_for(standin: BotApiStandin, emulator: RunningEmulator, folder: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None,
        BOT_TOKEN=BOT_TOKEN,
        SMS_API_TOKEN=SMS_TOKEN,
        TELEGRAM_API_URL=standin.url,
        SMS_API_URL=emulator.url,
        DATABASE_PATH=folder / "bench.sqlite3",
        POLL_INTERVAL=60,
        BALANCE_THRESHOLD=0,
    )


def poller_for(
    settings: Settings, store: Storage, sms: SmsApiClient, bot: Bot, emulator: RunningEmulator
) -> Poller:
    outbox = Outbox(bot, store.users, chat_moved=store.group_alerts.move)
    return Poller(
        store=store,
        sms=sms,
        messenger=TelegramMessenger(outbox, settings.timezone),
        clock=Clock(emulator.clock.now),
        interval=timedelta(seconds=settings.POLL_INTERVAL),
        tz=settings.timezone,
        channels=TelegramChannelMessenger(outbox, settings.timezone),
    )


@dataclass(frozen=True)
class PollerRig:
    settings: Settings
    emulator: RunningEmulator
    standin: BotApiStandin
    store: Storage
    sms: SmsApiClient
    bot: Bot

    def poller(self) -> Poller:
        return poller_for(self.settings, self.store, self.sms, self.bot, self.emulator)


@asynccontextmanager
async def open_poller_rig(
    folder: Path, flood: FloodLimits | None = None
) -> AsyncIterator[PollerRig]:
    """The emulator (its clock still), the stand-in (with ``flood`` control), and the
    bot's database, SMS client and Bot, closed in the reverse order."""
    emulator = await start_emulator(token=SMS_TOKEN, speed=0)
    standin = await BotApiStandin.start(bot_token=BOT_TOKEN)
    if flood is not None:
        standin.enable_flood_control(flood)
    settings = settings_for(standin, emulator, folder)
    store = await Storage.open(settings.DATABASE_PATH)
    sms = create_sms_client(settings)
    bot = create_bot(settings)
    try:
        yield PollerRig(settings, emulator, standin, store, sms, bot)
    finally:
        await bot.session.close()
        await sms.aclose()
        await store.close()
        await standin.stop()
        await emulator.stop()
