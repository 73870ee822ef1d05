"""What the poller measurements share: their tokens, settings, and a poller wired as the
bot wires it, reading the emulator's clock."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

from aiogram import Bot

from core.clock import Clock
from core.settings import Settings
from core.sms import SmsApiClient
from core.watch import Poller
from handlers.common.outbox import Outbox
from handlers.notify.messenger import TelegramMessenger
from storage import Storage
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin

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
    return Poller(
        store=store,
        sms=sms,
        messenger=TelegramMessenger(Outbox(bot, store.users), settings.timezone),
        clock=Clock(emulator.clock.now),
        interval=timedelta(seconds=settings.POLL_INTERVAL),
        tz=settings.timezone,
    )
