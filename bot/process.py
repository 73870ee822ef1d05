"""What every long-running bot command does around its work: hold the one-instance lock,
set up logging without secrets, run until a signal, and let go of the lock. A start that
fails ends in one line that says why and what to do, never a traceback with a token."""

from __future__ import annotations

import asyncio
import errno
import logging
import os
import sqlite3
import sys
from collections.abc import Callable, Coroutine
from typing import Any
from urllib.parse import urlsplit

from aiogram.exceptions import TelegramAPIError, TelegramNetworkError, TelegramUnauthorizedError

from bot.instance_lock import AlreadyRunning, InstanceLock
from bot.logging_setup import configure_logging
from core.settings import Settings
from storage import SchemaTooNewError

log = logging.getLogger(__name__)

# Exit codes. A restart would fail the same way after these, so the systemd unit does
# not restart on them (RestartPreventExitStatus) and the image's healthcheck says why.
EXIT_FAILED = 1
EXIT_NEEDS_A_PERSON = 78  # EX_CONFIG: a damaged or too new database, a rejected token
# A listener's bind failed: the port is taken, privileged, or the address not ours.
_CANNOT_LISTEN = (errno.EADDRINUSE, errno.EACCES, errno.EADDRNOTAVAIL)


def run_locked(
    settings: Settings, body: Callable[[InstanceLock], Coroutine[Any, Any, None]]
) -> None:
    """Run ``body(lock)`` under the lock beside ``DATABASE_PATH``; a second process gets
    one line and exit code 1 before logging is set up."""
    # Whatever the bot writes (the database, its journal, backups, records) is its user's
    # alone: it holds phone lists, texts and names.
    os.umask(0o077)
    lock = InstanceLock(settings.DATABASE_PATH)
    try:
        lock.acquire()
    except AlreadyRunning as error:
        print(error, file=sys.stderr)
        raise SystemExit(EXIT_FAILED) from None
    configure_logging(settings.LOG_LEVEL, settings.secrets(), settings.LOG_FORMAT)
    try:
        asyncio.run(body(lock))
    except KeyboardInterrupt:
        pass
    except Exception as error:
        log.debug("The bot stopped", exc_info=True)
        line, code = why_it_stopped(error, settings)
        print(f"The bot stopped: {line}", file=sys.stderr, flush=True)
        raise SystemExit(code) from None
    finally:
        lock.release()


def why_it_stopped(error: Exception, settings: Settings) -> tuple[str, int]:
    """One line for a start (or run) that failed, and the exit code."""
    database = settings.DATABASE_PATH
    if isinstance(error, SchemaTooNewError):
        return (
            f"the database {database} was written by a newer version of the bot: run that "
            "version, or restore a backup made by this one (python -m bot restore FILE)",
            EXIT_NEEDS_A_PERSON,
        )
    if isinstance(error, sqlite3.DatabaseError):
        return (
            f"the database {database} is damaged ({error}): restore the last backup "
            "(python -m bot restore FILE) or move the file aside to start afresh",
            EXIT_NEEDS_A_PERSON,
        )
    if isinstance(error, OSError) and error.errno in _CANNOT_LISTEN:
        return (
            f"cannot listen for HTTP ({error.strerror or error}): WEBHOOK_LISTEN "
            f"({settings.WEBHOOK_LISTEN}) or HEALTH_LISTEN ({settings.HEALTH_LISTEN}) names "
            "an address that is taken or not this machine's",
            EXIT_FAILED,
        )
    telegram = urlsplit(settings.TELEGRAM_API_URL).netloc
    if isinstance(error, TelegramUnauthorizedError):
        return f"Telegram ({telegram}) rejects BOT_TOKEN: take it from @BotFather again", (
            EXIT_NEEDS_A_PERSON
        )
    if isinstance(error, TelegramNetworkError | TelegramAPIError):
        return (
            f"the Bot API at {telegram} did not answer as it should ({error}): check "
            "TELEGRAM_API_URL and the network, then start again",
            EXIT_FAILED,
        )
    return f"{type(error).__name__}: {error} (python -m bot check tells more)", EXIT_FAILED
