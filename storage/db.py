"""One shared aiosqlite connection whose transactions are taken one at a time.

A single aiosqlite connection is a single SQLite transaction: two coroutines that
BEGIN on it would write into each other's transaction. Every use of the connection
therefore goes through one asyncio.Lock, reads included, so that a read never sees
another coroutine's uncommitted writes.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import sqlite3
from collections.abc import AsyncIterator, Mapping, Sequence
from contextlib import asynccontextmanager
from datetime import datetime
from pathlib import Path
from typing import Any

import aiosqlite

from storage.backup import copy_database
from storage.dates import Clock, utc_now
from storage.migrations import MIGRATIONS, Migration, SchemaTooNewError

log = logging.getLogger(__name__)

Params = Sequence[Any] | Mapping[str, Any]

BUSY_TIMEOUT_MS = 5000

_PRAGMAS = (
    f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}",
    "PRAGMA foreign_keys = ON",
    "PRAGMA synchronous = NORMAL",
)


class DatabaseClosedError(RuntimeError):
    """The database was used after close()."""


class Database:
    """The bot's SQLite file: open with ``await Database.open(path)``."""

    def __init__(self, conn: aiosqlite.Connection, path: Path, clock: Clock) -> None:
        self._conn = conn
        self._clock = clock
        self._lock = asyncio.Lock()
        self._holder: asyncio.Task[Any] | None = None
        self._closed = False
        self.path = path

    @classmethod
    async def open(
        cls,
        path: str | Path,
        *,
        clock: Clock | None = None,
        migrations: Sequence[Migration] = MIGRATIONS,
    ) -> Database:
        """Open (creating parent folders and the file if needed) and migrate to the latest schema.

        ``clock`` gives the moments written as created_at/updated_at (tests pass a manual one);
        ``migrations`` is every known migration, in order.
        """
        path = Path(path)
        # Phone lists, texts and names: the folder the bot makes, the file and its
        # journal (SQLite gives -wal and -shm the file's mode) are its user's alone.
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        path.touch(mode=0o600, exist_ok=True)
        _make_private(path)
        # isolation_level=None: the sqlite3 module opens no transaction behind our back;
        # BEGIN/COMMIT are issued by transaction() only.
        conn = await aiosqlite.connect(path, isolation_level=None)
        try:
            conn.row_factory = sqlite3.Row
            for pragma in _PRAGMAS:
                await conn.execute(pragma)
            await _enable_wal(conn)
            db = cls(conn, path, clock or utc_now)
            await db.migrate(migrations)
        except BaseException:
            await conn.close()
            raise
        return db

    async def schema_version(self) -> int:
        row = await self.fetchone("PRAGMA user_version")
        assert row is not None
        return int(row[0])

    async def migrate(self, migrations: Sequence[Migration]) -> int:
        """Bring the file up to the last of ``migrations``; return the resulting version.

        Each pending migration runs in its own BEGIN IMMEDIATE transaction together with
        the bump of user_version, so a failing migration leaves the file exactly at the
        previous version. The version is re-read under the write lock, so two processes
        opening one file migrate it once.
        """
        target = migrations[-1].version if migrations else 0
        current = await self.schema_version()
        if current > target:
            raise SchemaTooNewError(
                f"{self.path} has schema version {current}, this code knows up to {target}"
            )
        if 0 < current < target:
            # An upgrade is the one change the bot cannot take back by itself.
            copy = before_upgrade_path(self.path, target)
            await asyncio.to_thread(copy_database, self.path, copy)
            log.info("Copied the database (schema %d) to %s before upgrading it", current, copy)
        for migration in migrations:
            if migration.version <= current:
                continue
            async with self.transaction(immediate=True) as conn:
                async with conn.execute("PRAGMA user_version") as cursor:
                    row = await cursor.fetchone()
                if row is not None and int(row[0]) >= migration.version:
                    continue  # another process applied it while we waited for the lock
                for statement in migration.statements():
                    await conn.execute(statement)
                # PRAGMA takes no bound parameters; the version is an int from the file name.
                await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
            current = migration.version
        return await self.schema_version()

    async def backup_to(self, target: str | Path) -> None:
        """Write a consistent copy of the file to ``target`` (readable by its user only)
        while the bot goes on using it: through a connection of its own, so it neither
        waits for this one nor holds it (``storage/backup.py``)."""
        if self._closed:
            raise DatabaseClosedError(f"database {self.path} is closed")
        await asyncio.to_thread(copy_database, self.path, Path(target))

    def now(self) -> datetime:
        """The current moment, from the clock given at open."""
        return self._clock()

    @asynccontextmanager
    async def transaction(self, immediate: bool = False) -> AsyncIterator[aiosqlite.Connection]:
        """Run the body in one transaction: commit on success, roll back on any error.

        ``immediate=True`` takes the write lock at BEGIN. Use it for read-then-update: a
        deferred transaction that reads and then writes can fail at once with
        "database is locked" when another connection wrote in between.
        Not re-entrant: inside the body use the yielded connection, not this Database.
        """
        async with self._hold() as conn:
            await conn.execute("BEGIN IMMEDIATE" if immediate else "BEGIN")
            try:
                yield conn
                await conn.execute("COMMIT")
            except BaseException:
                await _rollback_quietly(conn)
                raise

    async def execute(self, sql: str, params: Params = ()) -> int:
        """Run one writing statement in its own transaction; return the number of rows changed.

        No BEGIN/COMMIT around it (two trips to SQLite's thread fewer): outside a
        transaction a writing statement is one by itself. SQLite takes the write lock as
        the statement starts, waiting up to busy_timeout as BEGIN IMMEDIATE would, so even
        a read-then-write statement (UPDATE ... WHERE) cannot fail on a stale read.
        """
        async with self._hold() as conn, conn.execute(sql, params) as cursor:
            return cursor.rowcount

    async def run(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        """One statement, reading or writing, in one trip to SQLite's thread; its rows
        (a writing statement's ``RETURNING``). A writing statement is its own transaction,
        as in execute(): a guarded ``UPDATE ... WHERE state = ? RETURNING`` still
        happens for one caller only."""
        async with self._hold() as conn:
            return list(await conn.execute_fetchall(sql, params))

    @asynccontextmanager
    async def held(self) -> AsyncIterator[aiosqlite.Connection]:
        """The connection, to nobody else until the body ends, with no transaction open:
        each statement in the body commits by itself. For a change computed from what this
        process already holds (a cache), written in one statement: nobody can write in
        between. Not re-entrant, like transaction()."""
        async with self._hold() as conn:
            yield conn

    async def fetchone(self, sql: str, params: Params = ()) -> sqlite3.Row | None:
        # One trip to aiosqlite's thread instead of three (execute, fetchone, close).
        async with self._hold() as conn:
            rows = await conn.execute_fetchall(sql, params)
        return next(iter(rows), None)

    async def fetchall(self, sql: str, params: Params = ()) -> list[sqlite3.Row]:
        async with self._hold() as conn:
            return list(await conn.execute_fetchall(sql, params))

    async def close(self) -> None:
        """Close the connection after the running transaction, if any. Safe to call twice."""
        if self._closed:
            return
        self._closed = True
        async with self._lock:
            await self._conn.close()

    @property
    def closed(self) -> bool:
        return self._closed

    @asynccontextmanager
    async def _hold(self) -> AsyncIterator[aiosqlite.Connection]:
        task = asyncio.current_task()
        if task is not None and task is self._holder:
            # asyncio.Lock is not re-entrant: waiting here would wait for ourselves forever.
            raise RuntimeError(
                "the database is already held by this task: inside transaction() use the "
                "yielded connection"
            )
        if self._closed:
            raise DatabaseClosedError(f"database {self.path} is closed")
        async with self._lock:
            if self._closed:
                raise DatabaseClosedError(f"database {self.path} is closed")
            self._holder = task
            try:
                yield self._conn
            finally:
                self._holder = None


async def _rollback_quietly(conn: aiosqlite.Connection) -> None:
    # The body's own exception is the one worth raising; a failed rollback is only logged.
    # rollback() is a no-op when no transaction is open (e.g. BEGIN itself failed).
    try:
        await conn.rollback()
    except Exception:
        log.exception("rollback failed")


async def _enable_wal(conn: aiosqlite.Connection) -> None:
    # Switching a new file to WAL needs an exclusive lock, and SQLite reports SQLITE_BUSY
    # for it at once instead of calling the busy handler: two processes opening one new
    # file would make one of them fail. So wait here, as busy_timeout would.
    loop = asyncio.get_running_loop()
    deadline = loop.time() + BUSY_TIMEOUT_MS / 1000
    while True:
        try:
            async with conn.execute("PRAGMA journal_mode = WAL") as cursor:
                row = await cursor.fetchone()
        except sqlite3.OperationalError as error:
            if error.sqlite_errorcode != sqlite3.SQLITE_BUSY or loop.time() >= deadline:
                raise
            await asyncio.sleep(0.01)
            continue
        if row is None or str(row[0]).lower() != "wal":
            # e.g. ":memory:" or a filesystem without shared memory: it still works, slower.
            log.warning("SQLite journal mode is %s, not WAL", row[0] if row else None)
        return


def before_upgrade_path(path: Path, version: int) -> Path:
    """Where the file is copied before it is upgraded to schema ``version``."""
    return path.with_name(f"{path.name}.before-v{version}")


def _make_private(path: Path) -> None:
    for file in (path, path.with_name(path.name + "-wal"), path.with_name(path.name + "-shm")):
        with contextlib.suppress(FileNotFoundError):
            if file.stat().st_mode & 0o077:
                file.chmod(0o600)
