"""``python -m bot restore FILE``: put a backup in the database's place, one line a step.

Refused while a bot holds the instance lock (it would go on writing the file being
replaced), and it holds the lock itself meanwhile, so no bot starts half-way. FILE is
copied beside the database and checked there (SQLite's integrity check, and a schema
version this code knows: an older one is upgraded at the next start) before anything
is touched; FILE itself is never changed. The replaced database is kept as
``<db>.replaced-YYYYMMDD-HHMMSS`` (UTC), its -wal folded into it, or moved beside it
under the same name when the file cannot be opened.
"""

from __future__ import annotations

import os
import sqlite3
import sys
from contextlib import suppress
from datetime import UTC, datetime
from pathlib import Path

from bot.backup import human_size, same_file
from bot.instance_lock import AlreadyRunning, InstanceLock
from core.settings import Settings
from storage import LATEST_VERSION
from storage.backup import (
    NotADatabaseFile,
    check_database_file,
    checkpoint,
    copy_database,
    sidecars,
)
from storage.dates import utc_now


class Refused(Exception):
    """Why the restore stops before the database is touched: one line."""


def restore_command(settings: Settings, source: Path) -> int:
    os.umask(0o077)
    database = settings.DATABASE_PATH
    lock = InstanceLock(database)
    try:
        lock.acquire()
    except AlreadyRunning as running:
        print(
            f"Restore refused: a bot (pid {running.holder}) is running on {database}; "
            "stop it first, then restore.",
            file=sys.stderr,
        )
        return 1
    try:
        _restore(source, database)
    except Refused as refused:
        print(f"Restore refused: {refused}", file=sys.stderr)
        return 1
    except OSError as error:
        print(f"Restore failed: {error}", file=sys.stderr)
        return 1
    finally:
        lock.release()
    return 0


def _restore(source: Path, database: Path) -> None:
    if same_file(source, database):
        raise Refused(f"{source} is the database itself")
    staged = database.with_name(f".{database.name}.restoring")
    try:
        version = _stage(source, staged)
        print(_checked_line(source, version, staged.stat().st_size), flush=True)
        print(_keep_aside(database, utc_now()), flush=True)
        os.replace(staged, database)
    finally:
        staged.unlink(missing_ok=True)
    print(f"Restored {source} as {database}", flush=True)


def _stage(source: Path, staged: Path) -> int:
    """Copy ``source`` to ``staged`` and check the copy; its schema version."""
    try:
        copy_database(source, staged)
        check = check_database_file(staged)
    except NotADatabaseFile as error:
        raise Refused(str(error).replace(str(staged), str(source))) from None
    except sqlite3.Error as error:
        raise Refused(f"{source} is not a readable SQLite database ({error})") from None
    if check.schema_version > LATEST_VERSION:
        raise Refused(
            f"{source} has schema version {check.schema_version}, newer than this bot "
            f"knows ({LATEST_VERSION}): restore it with the version of the bot that wrote it"
        )
    if check.schema_version == 0:
        raise Refused(f"{source} holds no bot data (schema version 0)")
    return check.schema_version


def _checked_line(source: Path, version: int, size: int) -> str:
    if version < LATEST_VERSION:
        upgrade = f"older than this bot's {LATEST_VERSION}: upgraded at the next start"
    else:
        upgrade = "this bot's"
    return (
        f"Checked {source}: integrity ok, schema version {version} ({upgrade}), {human_size(size)}"
    )


def _keep_aside(database: Path, now: datetime) -> str:
    """Move the current database (and what SQLite keeps beside it) out of the way."""
    if not database.exists():
        for sidecar in sidecars(database):  # a journal without its file: of no use
            sidecar.unlink()
        return f"No database at {database} yet: nothing to keep aside"
    aside = _free_name(database, now)
    # Moved together first: SQLite finds a file's -wal by its name, so nothing is lost
    # whatever happens next.
    for sidecar in sidecars(database):
        os.replace(sidecar, Path(f"{aside}{sidecar.name.removeprefix(database.name)}"))
    os.replace(database, aside)
    # Then the -wal is folded into the file, so that the file alone holds it all; a file
    # SQLite cannot open (damaged, say) keeps its journal beside it.
    with suppress(sqlite3.Error):
        checkpoint(aside)
    left = sidecars(aside)
    if left:
        names = ", ".join(sidecar.name.removeprefix(aside.name) for sidecar in left)
        return f"Kept the replaced database as {aside} (with its {names})"
    return f"Kept the replaced database as {aside}"


def _free_name(database: Path, now: datetime) -> Path:
    stamp = now.astimezone(UTC).strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.name}.replaced-{stamp}")
    number = 1
    while aside.exists():
        number += 1
        aside = database.with_name(f"{database.name}.replaced-{stamp}-{number}")
    return aside
