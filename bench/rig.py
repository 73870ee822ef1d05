"""One measuring set-up: the Bot API stand-in and the SMS API emulator in this process,
the bot under test (``python -m bot``) or the echo bot in another."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from aiohttp import web

from bench.processes import BOT_TOKEN, SMS_TOKEN, BotProcess, bot_env
from storage import Role, Storage
from testbed.emulator import EmulatorConfig, EmulatorState, RunningEmulator, create_app
from testbed.standin import BotApiStandin, FloodLimits, RecordedCall

Kind = Literal["bot", "echo"]
MODULES: dict[Kind, str] = {"bot": "bot", "echo": "bench.echo_bot"}
REQUEST_LOG = 500_000  # the emulator's log must hold every request of a run


@dataclass
class Rig:
    kind: Kind
    standin: BotApiStandin
    emulator: RunningEmulator
    process: BotProcess
    folder: Path

    @property
    def database(self) -> Path:
        return self.folder / "bot.sqlite3"

    def rejected_calls(self) -> list[RecordedCall]:
        """Bot API calls the stand-in answered with a 4xx (a 429 is flood control, not a
        rejection: it is counted apart)."""
        return [
            call
            for call in self.standin.calls
            if call.status is not None and 400 <= call.status < 500 and call.status != 429
        ]


async def seed_users(
    database: Path, user_ids: Iterable[int], role: Role = Role.MANAGER, language: str = "en"
) -> None:
    """Give people their role before the bot starts, as an admin would have."""
    store = await Storage.open(database)
    try:
        for user_id in user_ids:
            await store.users.upsert_seen(user_id, f"User{user_id}", None, language)
            await store.users.set_role(user_id, role)
    finally:
        await store.close()


async def start_emulator(middlewares: Iterable[Any] = (), **config: Any) -> RunningEmulator:
    """The emulator, with extra aiohttp middlewares in front of its own (a clock on the
    requests, say); otherwise as ``testbed.emulator.start_emulator`` serves it."""
    state = EmulatorState(EmulatorConfig(token=SMS_TOKEN, **config))
    state.faults.hold_hangs()
    app = create_app(state)
    for middleware in reversed(list(middlewares)):
        app.middlewares.insert(0, middleware)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
    await runner.setup()
    await web.TCPSite(runner, "127.0.0.1", 0).start()
    port = runner.addresses[0][1]
    return RunningEmulator(f"http://127.0.0.1:{port}", state, runner)


@asynccontextmanager
async def open_rig(
    kind: Kind,
    folder: Path,
    *,
    managers: Iterable[int] = (),
    flood: FloodLimits | None = None,
    emulator_config: dict[str, Any] | None = None,
    env: dict[str, str] | None = None,
    module: str | None = None,
    emulator_middlewares: Iterable[Any] = (),
) -> AsyncIterator[Rig]:
    """``module`` runs another entry point in place of the kind's (a profiler, say)."""
    folder.mkdir(parents=True, exist_ok=True)  # noqa: ASYNC240 - once, before anything runs
    config = {"speed": 0, "request_log_size": REQUEST_LOG, **(emulator_config or {})}
    emulator = await start_emulator(emulator_middlewares, **config)
    standin = await BotApiStandin.start(bot_token=BOT_TOKEN)
    if flood is not None:
        standin.enable_flood_control(flood)
    database = folder / "bot.sqlite3"
    environment = bot_env(standin, emulator, database, **(env or {}))
    process = BotProcess(module or MODULES[kind], environment, folder / f"{kind}.log")
    try:
        if kind == "bot":
            await seed_users(database, managers)
        await process.start(standin)
        yield Rig(kind, standin, emulator, process, folder)
    finally:
        await process.stop()
        await standin.stop()
        await emulator.stop()
