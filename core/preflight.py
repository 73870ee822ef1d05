"""The preflight check's Telegram-free part: the SMS API, the clocks, the database.

Read-only: every SMS API call is a GET, the database is opened without a write (a
write lock is taken and given back, to see that one could be). Each check is one
:class:`CheckLine`: ok, warning or failed, what it found, and what to do; an SMS API
answer that differs from the reference also lists each difference.
"""

from __future__ import annotations

import asyncio
import os
import sqlite3
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime
from enum import StrEnum
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from core.sms import (
    FormatProblem,
    InvalidResponse,
    ServiceUnavailable,
    SmsApiClient,
    SmsApiCodeError,
    TokenRejected,
)
from core.sms.client import BALANCE, BOOKS, CONTACTS, DISPATCH
from core.sms.reference import deviations
from storage import LATEST_VERSION

# Clocks further apart than this make scheduled sends and "time passed" checks wrong.
CLOCK_TOLERANCE_SECONDS = 60


class Level(StrEnum):
    OK = "ok"
    WARNING = "warning"
    FAILED = "failed"


@dataclass(frozen=True)
class CheckLine:
    level: Level
    what: str  # "SMS API GET finance/balance"
    detail: str  # what was found
    advice: str = ""  # what to do, when something is to be done
    differences: tuple[FormatProblem, ...] = field(default=())


def verdict(lines: list[CheckLine]) -> bool:
    """Whether the bot could work: nothing failed."""
    return all(line.level is not Level.FAILED for line in lines)


# -- the SMS API ---------------------------------------------------------------------


async def check_sms_api(
    sms: SmsApiClient, api_url: str, dispatch_id: int | None
) -> list[CheckLine]:
    """Every GET endpoint once, compared with the reference; a dispatch only when the
    database knows one (``dispatch_id``)."""
    host = urlsplit(api_url).netloc or api_url
    lines: list[CheckLine] = []

    async def probe(label: str, path: str, read: Callable[[Any], object]) -> Any:
        what = f"SMS API {label}"
        try:
            data = await sms.raw_get(label, path)
        except TokenRejected as error:
            lines.append(
                CheckLine(
                    Level.FAILED,
                    what,
                    f"access refused (HTTP {error.http_status}): the token is wrong or the "
                    "operator blocked the client",
                    "check SMS_API_TOKEN (the web interface's Settings page shows it)",
                )
            )
            raise _Stop from None
        except ServiceUnavailable as error:
            lines.append(
                CheckLine(
                    Level.FAILED,
                    what,
                    f"no answer from {host}: {error}",
                    "check SMS_API_URL and that this machine reaches the operator's network",
                )
            )
            raise _Stop from None
        except SmsApiCodeError as error:
            lines.append(CheckLine(Level.WARNING, what, f"refused: {error}"))
            return None
        except InvalidResponse as error:
            lines.append(_unreadable(what, error.problem, ()))
            return None
        differences = tuple(deviations(label, data))
        try:
            read(data)
        except InvalidResponse as error:
            lines.append(_unreadable(what, error.problem, differences))
            return None
        if differences:
            lines.append(
                CheckLine(
                    Level.WARNING,
                    what,
                    f"differs from the reference in {len(differences)} way(s); the bot reads it",
                    "send these lines to the bot's maintainers",
                    differences,
                )
            )
        else:
            lines.append(CheckLine(Level.OK, what, "answers as documented"))
        return data

    try:
        books = await probe(BOOKS, "/sms-api/addressbooks", sms.read_address_books)
        first_book = _first_book_id(books)
        if first_book is not None:
            await probe(CONTACTS, f"/sms-api/addressbooks/{first_book}/contacts", sms.read_contacts)
        else:
            lines.append(CheckLine(Level.OK, f"SMS API {CONTACTS}", "no address book to read"))
        await probe(BALANCE, "/sms-api/finance/balance", sms.read_balance)
        if dispatch_id is not None:
            await probe(DISPATCH, f"/sms-api/dispatches/{dispatch_id}", sms.read_dispatch)
        else:
            lines.append(
                CheckLine(Level.OK, f"SMS API {DISPATCH}", "no dispatch known yet to read")
            )
    except _Stop:
        pass  # the rest would fail alike
    return lines


class _Stop(Exception):
    """The SMS API does not answer or refuses access: the other endpoints would too."""


def _first_book_id(books: Any) -> int | None:
    if isinstance(books, list):
        for book in books:
            if isinstance(book, dict) and str(book.get("id", "")).isdigit():
                return int(book["id"])
    return None


def _unreadable(
    what: str, problem: FormatProblem, differences: tuple[FormatProblem, ...]
) -> CheckLine:
    return CheckLine(
        Level.FAILED,
        what,
        f"the bot cannot read {problem.field}: expected {problem.expected}, got {problem.got}",
        "send these lines to the bot's maintainers; the features that need this answer "
        "will say 'not understood'",
        differences or (problem,),
    )


# -- clocks --------------------------------------------------------------------------


def check_clock(server_date: datetime | None, now: datetime, tz: ZoneInfo) -> CheckLine:
    offset = now.astimezone(tz).strftime("%z")
    zone = f"dates are read and written in {tz.key} (UTC{offset[:3]}:{offset[3:]} now)"
    if server_date is None:
        return CheckLine(Level.WARNING, "clock", f"the SMS API sent no Date header; {zone}")
    drift = (now - server_date).total_seconds()
    if abs(drift) > CLOCK_TOLERANCE_SECONDS:
        return CheckLine(
            Level.WARNING,
            "clock",
            f"this machine's clock is {drift:+.0f} s off the SMS API's; {zone}",
            "set the system clock right (NTP): scheduled sends would be off by as much",
        )
    return CheckLine(Level.OK, "clock", f"within {abs(drift):.0f} s of the SMS API's; {zone}")


# -- the database --------------------------------------------------------------------


async def check_database(path: Path) -> tuple[list[CheckLine], int | None]:
    """The lines, and the newest dispatch the bot follows (for the SMS API check)."""
    return await asyncio.to_thread(_inspect_database, path)


def _inspect_database(path: Path) -> tuple[list[CheckLine], int | None]:
    what = f"database {path}"
    if not path.exists():
        folder = next((p for p in path.parents if p.exists()), None)
        if folder is None or not _writable(folder):
            return [
                CheckLine(
                    Level.FAILED,
                    what,
                    "does not exist, and its folder cannot be written",
                    "set DATABASE_PATH to a place the bot's user may write",
                )
            ], None
        return [CheckLine(Level.OK, what, "will be created at the first start")], None
    try:
        conn = sqlite3.connect(f"file:{path}?mode=rw", uri=True, timeout=2)
    except sqlite3.Error as error:
        return [CheckLine(Level.FAILED, what, f"cannot be opened: {error}", _RESTORE)], None
    try:
        return _inspect_open(conn, what)
    except sqlite3.DatabaseError as error:
        return [CheckLine(Level.FAILED, what, f"is damaged: {error}", _RESTORE)], None
    finally:
        conn.close()


_RESTORE = "restore the last backup (python -m bot restore FILE), or move the file aside"


def _inspect_open(conn: sqlite3.Connection, what: str) -> tuple[list[CheckLine], int | None]:
    lines = []
    integrity = conn.execute("PRAGMA quick_check").fetchone()[0]
    if integrity != "ok":
        lines.append(
            CheckLine(Level.FAILED, what, f"fails its integrity check: {integrity}", _RESTORE)
        )
    version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    if version > LATEST_VERSION:
        lines.append(
            CheckLine(
                Level.FAILED,
                what,
                f"was written by a newer bot (schema {version}, this one knows {LATEST_VERSION})",
                "run the newer bot, or restore a backup made by this version",
            )
        )
    elif version < LATEST_VERSION:
        lines.append(
            CheckLine(
                Level.OK,
                what,
                f"schema {version}; the bot migrates it to {LATEST_VERSION} at start",
            )
        )
    try:
        conn.execute("BEGIN IMMEDIATE")
        conn.execute("ROLLBACK")
    except sqlite3.OperationalError as error:
        lines.append(
            CheckLine(
                Level.WARNING if "locked" in str(error) else Level.FAILED,
                what,
                f"cannot be written now: {error}",
                "check the file's permissions and free disk space",
            )
        )
    if not lines:
        lines.append(CheckLine(Level.OK, what, f"writable, intact, schema {version}"))
    newest = None
    if version >= 1:
        row = conn.execute("SELECT MAX(dispatch_id) FROM tracked_dispatches").fetchone()
        newest = row[0] if row and row[0] is not None else None
    return lines, newest


def _writable(folder: Path) -> bool:
    return os.access(folder, os.W_OK)
