"""What every long-running bot command does around its work: hold the one-instance lock,
set up logging without secrets, run until a signal, and let go of the lock."""

from __future__ import annotations

import asyncio
import sys
from collections.abc import Callable, Coroutine
from typing import Any

from bot.instance_lock import AlreadyRunning, InstanceLock
from bot.logging_setup import configure_logging
from core.settings import Settings


def run_locked(
    settings: Settings, body: Callable[[InstanceLock], Coroutine[Any, Any, None]]
) -> None:
    """Run ``body(lock)`` under the lock beside ``DATABASE_PATH``; a second process gets
    one line and exit code 1 before logging is set up."""
    lock = InstanceLock(settings.DATABASE_PATH)
    try:
        lock.acquire()
    except AlreadyRunning as error:
        print(error, file=sys.stderr)
        raise SystemExit(1) from None
    configure_logging(settings.LOG_LEVEL, settings.secrets())
    try:
        asyncio.run(body(lock))
    except KeyboardInterrupt:
        pass
    finally:
        lock.release()
