"""``python -m bot`` as an operator runs it: a real process, signals, the one-instance lock."""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.harness import ADMIN_ID, BOT_TOKEN, SMS_TOKEN
from tests.support.paths import ROOT

pytestmark = pytest.mark.slow  # python -m bot in its own process


def bot_env(standin: BotApiStandin, emulator: RunningEmulator, database: Path) -> dict[str, str]:
    return {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": BOT_TOKEN,
        "TELEGRAM_API_URL": standin.url,
        "SMS_API_URL": emulator.url,
        "SMS_API_TOKEN": SMS_TOKEN,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_PATH": str(database),
        "POLL_INTERVAL": "0.2",
        "LOG_LEVEL": "DEBUG",
    }


class BotProcess:
    def __init__(self, env: dict[str, str], cwd: Path) -> None:
        self.env, self.cwd = env, cwd
        self.proc: asyncio.subprocess.Process | None = None

    async def start(self) -> None:
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", "bot",
            env=self.env, cwd=self.cwd,
            stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
        )  # fmt: skip

    async def kill(self) -> None:
        assert self.proc is not None
        if self.proc.returncode is None:
            self.proc.kill()
        await self.proc.communicate()  # drains and closes the pipes

    async def finish(self, timeout: float = 10) -> tuple[int, str]:  # noqa: ASYNC109
        assert self.proc is not None
        out, err = await asyncio.wait_for(self.proc.communicate(), timeout)
        assert self.proc.returncode is not None
        return self.proc.returncode, (out + err).decode()


@pytest.fixture
async def running_bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    process = BotProcess(bot_env(standin, emulator, tmp_path / "db" / "bot.sqlite3"), tmp_path)
    await process.start()
    await standin.wait_for_call("getUpdates", timeout=30, answered=False)
    yield process
    await process.kill()


@pytest.mark.parametrize("sig", [signal.SIGTERM, signal.SIGINT])
async def test_signal_stops_the_bot_cleanly_within_seconds(
    running_bot: BotProcess, standin: BotApiStandin, sig: signal.Signals
) -> None:
    admin = standin.user(ADMIN_ID)
    await admin.send_text("/start")
    await admin.wait_for_reply(timeout=10)
    assert running_bot.proc is not None
    running_bot.proc.send_signal(sig)
    code, output = await running_bot.finish(timeout=8)
    assert code == 0, output
    assert "Traceback" not in output


async def test_logs_never_show_a_token_even_at_debug(
    running_bot: BotProcess, standin: BotApiStandin
) -> None:
    admin = standin.user(ADMIN_ID)
    await admin.send_text("/balance")
    await admin.wait_for_reply(timeout=10)
    assert running_bot.proc is not None
    running_bot.proc.send_signal(signal.SIGTERM)
    _, output = await running_bot.finish()
    # The request was logged (httpx at DEBUG), and neither token with it.
    assert "/sms-api/finance/balance" in output
    assert SMS_TOKEN not in output
    assert BOT_TOKEN not in output
    assert BOT_TOKEN.split(":")[1] not in output


async def test_second_instance_on_the_same_database_refuses_to_start(
    running_bot: BotProcess, standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> None:
    second = BotProcess(running_bot.env, tmp_path)
    await second.start()
    code, output = await second.finish(timeout=30)
    assert code == 1
    lines = [line for line in output.splitlines() if line.strip()]
    assert len(lines) == 1 and "Another bot process" in lines[0], output


async def test_lock_is_freed_by_kill_9_so_a_restart_works(
    running_bot: BotProcess, standin: BotApiStandin, tmp_path: Path
) -> None:
    await running_bot.kill()
    polls = len(standin.calls_to("getUpdates"))
    again = BotProcess(running_bot.env, tmp_path)
    await again.start()
    try:
        await standin.wait_for_call("getUpdates", polls + 1, timeout=30, answered=False)
        assert again.proc is not None and again.proc.returncode is None
    finally:
        assert again.proc is not None
        again.proc.send_signal(signal.SIGTERM)
        code, output = await again.finish()
    assert code == 0, output
