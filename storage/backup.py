"""Copies of the database file, made and checked with SQLite itself.

A copy is made with SQLite's online backup through a connection of its own: in WAL
mode it reads one consistent snapshot while the bot goes on writing, and it never waits
for (or holds) the bot's connection. The copy is a single file (no -wal beside it),
readable by its user only, and appears under its name only once it is complete.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BUSY_TIMEOUT_MS = 5000


class NotADatabaseFile(RuntimeError):
    """The file is missing, not an SQLite database, or fails its integrity check."""


@dataclass(frozen=True)
class FileCheck:
    schema_version: int
    size_bytes: int


def copy_database(source: Path, target: Path) -> None:
    """Write a consistent copy of the SQLite file ``source`` to ``target`` (replaced if
    it exists). Blocking: run it in a thread from the event loop."""
    source, target = Path(source), Path(target)
    if not source.is_file():
        raise NotADatabaseFile(f"{source} does not exist")
    # mode=rw: a missing source is an error, not a new empty database.
    reader = sqlite3.connect(f"{source.resolve().as_uri()}?mode=rw", uri=True)
    try:
        reader.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        with _private_partial(target) as partial:
            writer = sqlite3.connect(partial)
            try:
                reader.backup(writer)  # all pages in one step: one snapshot
                # One self-contained file, whatever the source's journal mode.
                writer.execute("PRAGMA journal_mode = DELETE")
            finally:
                writer.close()
    finally:
        reader.close()


def check_database_file(path: Path) -> FileCheck:
    """Open ``path`` read-only and run SQLite's full integrity check; its schema
    version (``PRAGMA user_version``) when it passes, else NotADatabaseFile."""
    path = Path(path)
    if not path.is_file():
        raise NotADatabaseFile(f"{path} does not exist")
    try:
        conn = sqlite3.connect(f"{path.resolve().as_uri()}?mode=ro", uri=True)
    except sqlite3.Error as error:
        raise NotADatabaseFile(f"{path} cannot be opened ({error})") from None
    try:
        problems = [row[0] for row in conn.execute("PRAGMA integrity_check")]
        if problems != ["ok"]:
            shown = "; ".join(problems[:3]) + ("; ..." if len(problems) > 3 else "")
            raise NotADatabaseFile(f"{path} is damaged: {shown}")
        version = int(conn.execute("PRAGMA user_version").fetchone()[0])
    except sqlite3.Error as error:
        raise NotADatabaseFile(f"{path} is not a readable SQLite database ({error})") from None
    finally:
        conn.close()
    return FileCheck(schema_version=version, size_bytes=path.stat().st_size)


def checkpoint(path: Path) -> None:
    """Fold the -wal of ``path`` into the file itself and let SQLite remove it, so that
    the file alone holds everything (nobody else may have it open)."""
    conn = sqlite3.connect(f"{Path(path).resolve().as_uri()}?mode=rw", uri=True)
    try:
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        conn.execute("PRAGMA journal_mode = DELETE")
    finally:
        conn.close()


def sidecars(path: Path) -> list[Path]:
    """The journal files SQLite keeps beside ``path`` that exist now."""
    return [
        sidecar
        for sidecar in (Path(f"{path}-wal"), Path(f"{path}-shm"), Path(f"{path}-journal"))
        if sidecar.exists()
    ]


@contextlib.contextmanager
def _private_partial(target: Path) -> Iterator[Path]:
    """A new 0600 file beside ``target`` to write into; renamed to ``target`` when the
    body succeeds, removed when it fails."""
    target.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partial = target.with_name(f".{target.name}.partial-{os.getpid()}")
    for leftover in (partial, *sidecars(partial)):
        leftover.unlink(missing_ok=True)
    os.close(os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))
    try:
        yield partial
        os.replace(partial, target)
    finally:
        for leftover in (partial, *sidecars(partial)):
            leftover.unlink(missing_ok=True)
