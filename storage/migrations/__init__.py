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
