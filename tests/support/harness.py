"""The real bot, wired as ``python -m bot`` wires it, against the emulator and the stand-in.

Only the two URLs differ from production: the Bot API is the project's stand-in and the
SMS API is the project's emulator, both on loopback.
"""

from __future__ import annotations

import asyncio
import socket
from contextlib import suppress
from pathlib import Path
from typing import Any

from bot.app import BotApp
from core.settings import Settings
from storage import Role, Storage
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin, SimUser

BOT_TOKEN = "123456:TEST-bot-token-abcdefghijklmnopqrstuvwxyz"
SMS_TOKEN = "sms-token/SECRET+0042"  # "/" and "+" change when percent-encoded
ADMIN_ID = 1000
MANAGER_ID = 2000
OBSERVER_ID = 3000
STRANGER_ID = 4000
WEBHOOK_SECRET = "test-webhook-secret_0123456789"
WEBHOOK_PATH = "/telegram/updates"


def free_port() -> int:
    """A loopback port nobody listens on now (the bot binds it a moment later)."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def webhook_settings(port: int | None = None) -> dict[str, str]:
    """The settings of webhook mode, Telegram (the stand-in) delivering to loopback."""
    port = port or free_port()
    return {
        "WEBHOOK_URL": f"http://127.0.0.1:{port}{WEBHOOK_PATH}",
        "WEBHOOK_LISTEN": f"127.0.0.1:{port}",
        "WEBHOOK_SECRET": WEBHOOK_SECRET,
    }


def make_settings(
    standin: BotApiStandin, emulator: RunningEmulator, database: Path, **overrides: Any
) -> Settings:
    values: dict[str, Any] = {
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": standin.url,
        "SMS_API_URL": emulator.url,
        "SMS_API_TOKEN": SMS_TOKEN,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_PATH": str(database),
        "POLL_INTERVAL": 0.2,
        # The emulator's balance (42) is below the production default (100): without
        # this, every test's admin would get a low-balance alert at the first cycle.
        "BALANCE_THRESHOLD": 0,
        "LOG_LEVEL": "DEBUG",
    }
    values.update(overrides)
    return Settings(_env_file=None, **values)  # type: ignore[call-arg]


class BotUnderTest:
    """Starts, stops and restarts the bot process's asyncio side in this event loop."""

    def __init__(
        self,
        standin: BotApiStandin,
        emulator: RunningEmulator,
        database: Path,
        **setting_overrides: Any,
    ) -> None:
        self.standin = standin
        self.emulator = emulator
        self.settings = make_settings(standin, emulator, database, **setting_overrides)
        self.app: BotApp | None = None
        self._task: asyncio.Task[None] | None = None

    @property
    def store(self) -> Storage:
        assert self.app is not None, "the bot is not running"
        return self.app.store

    async def start(self) -> None:
        # Ready once it asks for updates, or has set its webhook: start-up hooks have run.
        webhook = bool(self.settings.WEBHOOK_URL)
        ready_call = "setWebhook" if webhook else "getUpdates"
        calls_before = len(self.standin.calls_to(ready_call))
        self.app = await BotApp.open(self.settings)
        self._task = asyncio.create_task(self.app.run(handle_signals=False, polling_timeout=1))
        await self.standin.wait_for_call(ready_call, calls_before + 1, answered=webhook)

    async def stop(self) -> None:
        if self.app is None or self._task is None:
            return
        await self.app.stop()
        with suppress(asyncio.CancelledError):
            await asyncio.wait_for(self._task, timeout=15)
        self.app, self._task = None, None

    async def restart(self) -> None:
        await self.stop()
        await self.start()

    async def user(
        self,
        user_id: int,
        role: Role | None,
        *,
        language: str = "ru",
        first_name: str = "Ann",
    ) -> SimUser:
        """A simulated Telegram user whose role is already stored."""
        sim = self.standin.user(user_id, first_name=first_name, language_code=language)
        if role is not None and role is not Role.ADMIN:
            await self.store.users.upsert_seen(user_id, first_name, None, language)
            await self.store.users.set_role(user_id, role)
        return sim

    def sms_requests(self, path_part: str = "") -> list[dict[str, Any]]:
        """What the bot asked the SMS API, as the emulator logged it."""
        return [
            entry
            for entry in self.emulator.state.requests.entries()
            if path_part in entry.get("path", "")
        ]
