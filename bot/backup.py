"""Backups of the database: ``python -m bot backup FILE`` and the periodic ones.

Both copy the file with SQLite's online backup through a connection of their own
(``storage/backup.py``): they work while ``python -m bot`` runs, without its instance
lock, and the copy is readable by its user only. With ``BACKUP_DIR`` set the running bot
writes ``bot-YYYYMMDD-HHMMSS.sqlite3`` (UTC) there every ``BACKUP_EVERY`` hours and keeps
the newest ``BACKUP_KEEP``.
"""

from __future__ import annotations

import asyncio
import logging
import os
import re
import sqlite3
import sys
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from core.background import BackgroundTask
from core.settings import Settings
from storage import Database
from storage.backup import NotADatabaseFile, check_database_file, copy_database
from storage.dates import utc_now

log = logging.getLogger(__name__)

_NAME = re.compile(r"^bot-(\d{8}-\d{6})\.sqlite3$")
_STAMP = "%Y%m%d-%H%M%S"
# However small BACKUP_EVERY is, no faster than this: a slip of the finger must not turn
# the bot into a copying loop, and names, to the second, stay apart.
MIN_PERIOD = timedelta(seconds=1)


def backup_name(moment: datetime) -> str:
    return f"bot-{moment.astimezone(UTC).strftime(_STAMP)}.sqlite3"


def backups_in(folder: Path) -> list[Path]:
    """The periodic backups in ``folder``, oldest first (nothing else found there)."""
    if not folder.is_dir():
        return []
    return sorted(path for path in folder.iterdir() if _NAME.match(path.name) and path.is_file())


def made_at(path: Path) -> datetime:
    match = _NAME.match(path.name)
    if match is None:
        raise ValueError(f"{path.name} is not a periodic backup's name")
    return datetime.strptime(match[1], _STAMP).replace(tzinfo=UTC)


def prune(folder: Path, keep: int) -> list[Path]:
    """Delete the oldest periodic backups beyond the newest ``keep``; return them."""
    old = backups_in(folder)[:-keep] if keep > 0 else backups_in(folder)
    for path in old:
        path.unlink(missing_ok=True)
    return old


class PeriodicBackup:
    """Copies the database into ``folder`` every ``every`` while the bot runs.

    The first copy is due ``every`` after the newest one already in the folder (at once
    when there is none), so restarts neither skip backups nor pile them up. A failed
    copy is logged and tried again ``every`` later.
    """

    def __init__(
        self,
        db: Database,
        folder: Path,
        *,
        every: timedelta,
        keep: int,
        now: Callable[[], datetime] = utc_now,
        min_period: timedelta = MIN_PERIOD,
    ) -> None:
        self.db = db
        self.folder = folder
        self.period = max(every, min_period)
        self.keep = keep
        self._now = now
        # A copy under way is finished however long it takes: never left half written.
        self._background = BackgroundTask("periodic backup", grace=None)

    @classmethod
    def from_settings(cls, settings: Settings, db: Database) -> PeriodicBackup | None:
        if settings.BACKUP_DIR is None:
            return None
        every = timedelta(hours=settings.BACKUP_EVERY)
        return cls(db, settings.BACKUP_DIR, every=every, keep=settings.BACKUP_KEEP)

    def start(self) -> None:
        self._background.start(self._run)

    async def stop(self) -> None:
        """Let a copy under way finish, then stop. Safe twice, and before start."""
        await self._background.stop()

    async def backup_now(self, moment: datetime | None = None) -> Path:
        path = self.folder / backup_name(moment or self._now())
        await self.db.backup_to(path)
        removed = await asyncio.to_thread(prune, self.folder, self.keep)
        log.info("Backup written to %s (%d older removed)", path, len(removed))
        return path

    def _first_due(self) -> datetime:
        existing = backups_in(self.folder)
        return made_at(existing[-1]) + self.period if existing else self._now()

    async def _run(self) -> None:
        due = self._first_due()
        while True:
            await self._background.pause((due - self._now()).total_seconds())
            if self._background.stopping:
                return
            started = self._now()
            try:
                await self.backup_now(started)
            except Exception as error:  # a full disk must not stop the bot
                log.error("Backup to %s failed: %s", self.folder, error)
            due = started + self.period


def backup_command(settings: Settings, target: Path) -> int:
    """``python -m bot backup FILE``: one line, exit code 0 when the copy is made and
    passes SQLite's integrity check. FILE may be a folder: the copy is then named as the
    periodic ones."""
    os.umask(0o077)  # the copy, and a folder made for it, are the user's alone
    database = settings.DATABASE_PATH
    if target.is_dir():
        target = target / backup_name(utc_now())
    if same_file(target, database):
        print(f"Backup refused: {target} is the database itself", file=sys.stderr)
        return 1
    try:
        copy_database(database, target)
        check = check_database_file(target)
    except (NotADatabaseFile, sqlite3.Error, OSError) as error:
        print(f"Backup failed: {error}", file=sys.stderr)
        return 1
    print(
        f"Backed up {database} to {target} (schema version {check.schema_version}, "
        f"{human_size(check.size_bytes)}, integrity ok)"
    )
    return 0


def same_file(one: Path, other: Path) -> bool:
    return one.resolve() == other.resolve() or (
        one.exists() and other.exists() and os.path.samefile(one, other)
    )


def human_size(size: int) -> str:
    return f"{size / 1024 / 1024:.1f} MiB" if size >= 1024 * 1024 else f"{size / 1024:.0f} KiB"
