"""A bot as a separate process (``python -m bot`` or the echo bot), with its memory.

The measuring side (the Bot API stand-in, the SMS API emulator, the simulated users)
runs in the benchmark's own event loop; the bot under test must not share it.
"""

from __future__ import annotations

import asyncio
import os
import signal
import sys
from pathlib import Path
from typing import IO

import psutil

from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin

ROOT = Path(__file__).resolve().parents[1]
BOT_TOKEN = "123456:BENCH-bot-token-abcdefghijklmnopqrstuvwxyz"
SMS_TOKEN = "bench-sms-token-SECRET-7781"
ADMIN_ID = 1000
START_SECONDS = 60.0
STOP_SECONDS = 15.0
MIB = 1024 * 1024


def bot_env(
    standin: BotApiStandin,
    emulator: RunningEmulator | None,
    database: Path,
    **overrides: str,
) -> dict[str, str]:
    """The environment of ``python -m bot`` against the stand-in and the emulator."""
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "PYTHONPATH": str(ROOT),
        "BOT_TOKEN": standin.token,
        "TELEGRAM_API_URL": standin.url,
        "SMS_API_URL": emulator.url if emulator is not None else "http://127.0.0.1:9",
        "SMS_API_TOKEN": emulator.token if emulator is not None else SMS_TOKEN,
        "ADMIN_IDS": str(ADMIN_ID),
        "DATABASE_PATH": str(database),
        "POLL_INTERVAL": "60",
        # The emulator's balance is below the production default: no low-balance alert.
        "BALANCE_THRESHOLD": "0",
        "LOG_LEVEL": "INFO",
    }
    env.update(overrides)
    return env


class BotProcess:
    """``python -m <module>`` with its output in a file (a pipe nobody reads would fill
    up and stop a bot that logs at DEBUG)."""

    def __init__(self, module: str, env: dict[str, str], log_path: Path) -> None:
        self.module = module
        self.env = env
        self.log_path = log_path
        self.proc: asyncio.subprocess.Process | None = None
        self._log: IO[bytes] | None = None

    @property
    def pid(self) -> int:
        assert self.proc is not None, "not started"
        return self.proc.pid

    @property
    def running(self) -> bool:
        return self.proc is not None and self.proc.returncode is None

    async def start(self, standin: BotApiStandin, timeout: float = START_SECONDS) -> None:  # noqa: ASYNC109
        """Start it and wait until it asks the stand-in for updates (or, in webhook mode,
        has set its webhook)."""
        webhook = bool(self.env.get("WEBHOOK_URL"))
        ready_call = "setWebhook" if webhook else "getUpdates"
        polls = len(standin.calls_to(ready_call))
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        self._log = self.log_path.open("ab")
        self.proc = await asyncio.create_subprocess_exec(
            sys.executable, "-m", self.module,
            env=self.env, cwd=self.log_path.parent,
            stdin=asyncio.subprocess.DEVNULL, stdout=self._log, stderr=self._log,
        )  # fmt: skip
        waiting = asyncio.ensure_future(
            standin.wait_for_call(ready_call, polls + 1, timeout, answered=webhook)
        )
        exited = asyncio.ensure_future(self.proc.wait())
        done, _ = await asyncio.wait({waiting, exited}, return_when=asyncio.FIRST_COMPLETED)
        if exited in done:
            waiting.cancel()
            raise RuntimeError(f"{self.module} exited at start:\n{self.output()[-3000:]}")
        exited.cancel()
        await waiting  # raises TimeoutError if it never polled

    async def stop(self, timeout: float = STOP_SECONDS) -> int:  # noqa: ASYNC109
        """SIGTERM, and wait for the exit code (SIGKILL if it hangs)."""
        if self.proc is None:
            return 0
        if self.proc.returncode is None:
            self.proc.send_signal(signal.SIGTERM)
            try:
                await asyncio.wait_for(self.proc.wait(), timeout)
            except TimeoutError:
                self.proc.kill()
                await self.proc.wait()
        self._close_log()
        return self.proc.returncode or 0

    async def kill(self) -> None:
        """``kill -9``: no shutdown hook runs, nothing is flushed."""
        if self.proc is None:
            return
        if self.proc.returncode is None:
            self.proc.kill()
        await self.proc.wait()
        self._close_log()

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def output(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    # -- memory ----------------------------------------------------------------

    def rss_bytes(self) -> int:
        return psutil.Process(self.pid).memory_info().rss

    def peak_rss_bytes(self) -> int:
        """The process's high-water mark of resident memory (VmHWM), in bytes."""
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
        return self.rss_bytes()

    def reset_peak_rss(self) -> bool:
        """Restart the high-water mark from the current RSS (Linux 4.0+: write 5 to
        clear_refs). False where that is not allowed."""
        try:
            Path(f"/proc/{self.pid}/clear_refs").write_text("5")
        except OSError:
            return False
        return True
