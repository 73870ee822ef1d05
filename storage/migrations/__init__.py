"""Numbered schema migrations: ``NNN_name.sql`` files beside this module.

The schema version is SQLite's ``PRAGMA user_version``; ``Database.open`` applies the
pending ones (``storage/db.py``).
"""

from __future__ import annotations

import re
import sqlite3
from dataclasses import dataclass
from importlib import resources

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
    """Every migration shipped with the package, in version order from 1, each number once.

    A number may be missing while features developed side by side hold theirs (008 can
    arrive before 006 and 007); a release has them all, and no database outside a
    development branch is ever migrated across a missing one.
    """
    found = []
    for entry in resources.files(__name__).iterdir():
        match = _FILE_NAME.match(entry.name)
        if match:
            found.append(Migration(int(match[1]), match[2], entry.read_text(encoding="utf-8")))
    found.sort(key=lambda m: m.version)
    check_numbering([m.version for m in found])
    return tuple(found)


def check_numbering(versions: list[int]) -> None:
    """Sorted versions must start at 1 and name each number once."""
    if not versions or versions[0] != 1 or len(set(versions)) != len(versions):
        raise RuntimeError(f"migrations must be numbered from 1, each number once: {versions}")


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
