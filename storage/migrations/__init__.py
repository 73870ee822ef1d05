"""Numbered schema migrations: ``NNN_name.sql`` files beside this module.

The schema version is SQLite's ``PRAGMA user_version``. Each pending migration runs in
its own BEGIN IMMEDIATE transaction together with the bump of user_version, so a
failing migration leaves the file exactly at the previous version. The version is
re-read under the write lock, so two processes opening one file migrate it once.
"""

from __future__ import annotations

import re
import sqlite3
from collections.abc import Sequence
from dataclasses import dataclass
from importlib import resources
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.db import Database

_FILE_NAME = re.compile(r"^(\d{3})_(\w+)\.sql$")


class SchemaTooNewError(RuntimeError):
    """The file was written by a newer version of the bot; opening it could corrupt it."""


@dataclass(frozen=True)
class Migration:
    version: int
    name: str
    sql: str

    def statements(self) -> list[str]:
        return split_statements(self.sql)


def load_migrations() -> tuple[Migration, ...]:
    """Every migration shipped with the package, in version order (1, 2, ... without gaps)."""
    found = []
    for entry in resources.files(__name__).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    versions = [m.version for m in found]
    if versions != list(range(1, len(found) + 1)):
        raise RuntimeError(f"migrations must be numbered 1..N without gaps, found {versions}")
    return tuple(found)


def split_statements(script: str) -> list[str]:
    """Split a script into single statements (sqlite3 executes one at a time).

    executescript() cannot be used: it commits any open transaction first. SQLite's own
    sqlite3_complete decides where a statement ends, so semicolons inside strings,
    comments and CREATE TRIGGER bodies are handled.
    """
    statements: list[str] = []
    *pieces, rest = script.split(";")
    pending = ""
    for piece in pieces:
        pending += piece + ";"
        if sqlite3.complete_statement(pending):
            statements.append(pending.strip())
            pending = ""
    rest = "\n".join(
        line for line in (pending + rest).splitlines() if not line.strip().startswith("--")
    )
    if rest.strip():
        raise ValueError(f"unterminated SQL statement: {rest.strip()[:80]!r}")
    return statements


MIGRATIONS = load_migrations()
LATEST_VERSION = MIGRATIONS[-1].version


async def schema_version(db: Database) -> int:
    row = await db.fetchone("PRAGMA user_version")
    assert row is not None
    return int(row[0])


async def migrate(db: Database, migrations: Sequence[Migration]) -> int:
    """Bring the file up to the last of ``migrations``; return the resulting version."""
    target = migrations[-1].version if migrations else 0
    current = await schema_version(db)
    if current > target:
        raise SchemaTooNewError(
            f"{db.path} has schema version {current}, this code knows up to {target}"
        )
    for migration in migrations:
        if migration.version <= current:
            continue
        async with db.transaction(immediate=True) as conn:
            async with conn.execute("PRAGMA user_version") as cursor:
                row = await cursor.fetchone()
            if row is not None and int(row[0]) >= migration.version:
                continue  # another process applied it while we waited for the lock
            for statement in migration.statements():
                await conn.execute(statement)
            # PRAGMA takes no bound parameters; the version is an int from the file name.
            await conn.execute(f"PRAGMA user_version = {int(migration.version)}")
        current = migration.version
    return await schema_version(db)
