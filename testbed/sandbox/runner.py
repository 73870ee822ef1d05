"""``python -m bot sandbox``: the SMS API emulator, the Bot API stand-in serving the chat
page, and the real bot wired to both, on this machine only.

The bot is ``bot.app.BotApp``, opened from ``Settings`` as ``python -m bot`` opens it; only
the two URLs point here, the database is a fresh temporary file and the tokens are made
up for the occasion.
"""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import signal
import sys
import tempfile
import webbrowser
from contextlib import AsyncExitStack, suppress
from pathlib import Path

from bot.app import BotApp
from core.settings import Settings
from testbed.emulator import RunningEmulator, start_emulator
from testbed.standin import BotApiStandin

from .chat_feed import chat_feed_routes
from .chat_page import page_routes
from .emulated import emulator_timing
from .guard import PageGuard, new_token
from .options import SandboxOptions
from .people import (
    GROUPS,
    PEOPLE,
    LiveRoles,
    add_the_bot,
    admin_ids,
    open_chats,
    open_team,
    store_roles,
)
from .proxy import EmulatorPanel

log = logging.getLogger(__name__)

BOT_USERNAME = "phoenix_sms_bot"
BOT_NAME = "Phoenix SMS"
READY_SECONDS = 30.0  # the bot's first getUpdates; a cold start takes a second or two
STOP_SECONDS = 15.0


def sandbox_settings(
    options: SandboxOptions, telegram_url: str, sms_url: str, database: Path
) -> Settings:
    """Production settings with the two URLs pointing at the stand-in and the emulator;
    `.env` is not read: the sandbox must not pick up a real token by accident."""
    return Settings(
        _env_file=None,  # type: ignore[call-arg]
        BOT_TOKEN=options.bot_token,  # type: ignore[arg-type]
        TELEGRAM_API_URL=telegram_url,
        SMS_API_URL=sms_url,
        SMS_API_TOKEN=options.sms_token,  # type: ignore[arg-type]
        ADMIN_IDS=admin_ids(),  # type: ignore[arg-type]
        DATABASE_PATH=database,
        POLL_INTERVAL=options.poll_interval,
        BALANCE_THRESHOLD=options.balance_threshold,  # type: ignore[arg-type]
        SMS_API_TIMEZONE="Europe/Moscow",
        LOG_LEVEL=options.log_level,  # type: ignore[arg-type]
    )


class PageAddressUnavailable(OSError):
    """The chat page's host and port cannot be listened on (most often: port taken)."""


class Sandbox:
    """Everything `python -m bot sandbox` runs, started and stopped together."""

    def __init__(
        self,
        options: SandboxOptions,
        emulator: RunningEmulator,
        standin: BotApiStandin,
        app: BotApp,
        stack: AsyncExitStack,
        page_token: str,
    ) -> None:
        self.options = options
        self.page_token = page_token  # what the page sends with every control call
        self.emulator = emulator
        self.standin = standin
        self.app = app
        self._stack = stack
        self.bot_task: asyncio.Task[None] = asyncio.create_task(
            app.run(handle_signals=False), name="sandbox-bot"
        )

    @property
    def url(self) -> str:
        """The chat page."""
        return f"{self.standin.url}/"

    @classmethod
    async def start(cls, options: SandboxOptions | None = None) -> Sandbox:
        options = options or SandboxOptions()
        async with AsyncExitStack() as stack:
            workdir = Path(tempfile.mkdtemp(prefix="phoenix-sandbox-"))
            stack.callback(shutil.rmtree, workdir, ignore_errors=True)
            emulator = await start_emulator(
                token=options.sms_token, **emulator_timing(options.pace, options.frozen_clock)
            )
            stack.push_async_callback(emulator.stop)
            try:
                standin = await BotApiStandin.start(
                    options.host,
                    options.port,
                    bot_token=options.bot_token,
                    bot_username=BOT_USERNAME,
                    bot_first_name=BOT_NAME,
                )
            except OSError as error:
                raise PageAddressUnavailable(
                    f"cannot serve the page on {options.host}:{options.port}: "
                    f"{error.strerror or error}"
                ) from None
            stack.push_async_callback(standin.stop)
            page_token = new_token()
            port = int(standin.url.rsplit(":", 1)[1])
            standin.guard = PageGuard(page_token, options.host, port)
            panel = EmulatorPanel(emulator.url, options.sms_token)
            await panel.open()
            stack.push_async_callback(panel.close)
            open_chats(standin, options.language)
            team = open_team(standin, options.language)
            roles = LiveRoles(PEOPLE)
            standin.add_routes(
                page_routes(standin, roles, options.language, page_token, GROUPS)
                + chat_feed_routes(standin)
                + panel.routes()
            )
            settings = sandbox_settings(options, standin.url, emulator.url, workdir / "bot.sqlite3")
            app = await BotApp.open(settings)
            try:
                await store_roles(app.store, options.language)
                roles.store = app.store
                await add_the_bot(team, standin)  # heard once the bot polls
            except BaseException:
                await app.close()
                raise
            sandbox = cls(options, emulator, standin, app, stack.pop_all(), page_token)
        try:
            await sandbox._wait_until_polling()
        except BaseException:
            await sandbox.stop()
            raise
        return sandbox

    async def _wait_until_polling(self) -> None:
        polling = asyncio.create_task(
            self.standin.wait_for_call("getUpdates", timeout=READY_SECONDS, answered=False)
        )
        done, _ = await asyncio.wait({polling, self.bot_task}, return_when=asyncio.FIRST_COMPLETED)
        if polling not in done:
            polling.cancel()
            with suppress(asyncio.CancelledError):
                await polling
            await self.bot_task  # it ended before polling: let its error out
            raise RuntimeError("the bot stopped before it began polling")
        await polling

    async def stop(self) -> None:
        """Stop the bot (it closes its database and sessions), then the servers."""
        if not self.bot_task.done():
            await self.app.stop()
            try:
                await asyncio.wait_for(asyncio.shield(self.bot_task), STOP_SECONDS)
            except TimeoutError:
                self.bot_task.cancel()
        try:
            await self.bot_task
        except asyncio.CancelledError:
            pass
        except Exception:
            log.exception("The bot stopped with an error")
        await self._stack.aclose()


def has_desktop() -> bool:
    """Without one, Python's webbrowser would start a text browser in this terminal."""
    if sys.platform in ("darwin", "win32"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "BROWSER"))


async def serve(options: SandboxOptions, *, open_browser: bool) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    sandbox = await Sandbox.start(options)
    try:
        print(f"Sandbox ready: open {sandbox.url} in a browser (Ctrl-C stops it)", flush=True)
        if open_browser and has_desktop():
            await asyncio.to_thread(webbrowser.open, sandbox.url)
        stopping = asyncio.create_task(stop.wait())
        await asyncio.wait({stopping, sandbox.bot_task}, return_when=asyncio.FIRST_COMPLETED)
        stopping.cancel()
        if sandbox.bot_task.done() and not stop.is_set():
            log.error("The bot stopped by itself; stopping the sandbox")
    finally:
        await sandbox.stop()
