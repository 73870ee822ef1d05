"""Copies of the database: consistent while it is written, private, checked."""

from __future__ import annotations

import shutil
import sqlite3
import stat
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from storage import LATEST_VERSION, Database, DatabaseClosedError
from storage.backup import (
    NotADatabaseFile,
    check_database_file,
    checkpoint,
    copy_database,
    sidecars,
)
from tests.support.storage import damage


async def _add_user(db: Database, user_id: int) -> None:
    await db.execute(
        "INSERT INTO users (user_id, role, first_name, created_at, updated_at) "
        "VALUES (?, 'manager', 'Olga', '2024-01-01T00:00:00+00:00', '2024-01-01T00:00:00+00:00')",
        (user_id,),
    )


def _user_ids(path: Path) -> list[int]:
    with sqlite3.connect(path) as conn:
        rows = conn.execute("SELECT user_id FROM users ORDER BY user_id").fetchall()
    conn.close()
    return [row[0] for row in rows]


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "bot.sqlite3")
    yield opened
    await opened.close()


async def test_a_copy_holds_what_was_committed_and_not_what_is_under_way(
    db: Database, tmp_path: Path
) -> None:
    await _add_user(db, 1)
    copy = tmp_path / "copies" / "copy.sqlite3"
    async with db.transaction(immediate=True) as conn:
        await conn.execute("UPDATE users SET first_name = 'Changing' WHERE user_id = 1")
        await conn.execute(
            "INSERT INTO users (user_id, role, created_at, updated_at) "
            "VALUES (2, 'observer', 'x', 'x')"
        )
        # The bot's connection is held by this transaction: the copy does not wait for it.
        await db.backup_to(copy)
    assert _user_ids(copy) == [1]
    with sqlite3.connect(copy) as conn:
        assert conn.execute("SELECT first_name FROM users").fetchone() == ("Olga",)
    conn.close()


async def test_a_copy_is_one_private_file_that_passes_the_check(
    db: Database, tmp_path: Path
) -> None:
    await _add_user(db, 7)
    copy = tmp_path / "copy.sqlite3"
    await db.backup_to(copy)
    assert stat.S_IMODE(copy.stat().st_mode) == 0o600
    assert sidecars(copy) == []
    assert [name for name in _names(tmp_path) if "copy" in name] == ["copy.sqlite3"]
    assert check_database_file(copy).schema_version == LATEST_VERSION
    with sqlite3.connect(copy) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("delete",)
    conn.close()


async def test_a_copy_replaces_an_older_one_whole(db: Database, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    await db.backup_to(copy)
    await _add_user(db, 8)
    await db.backup_to(copy)
    assert _user_ids(copy) == [8]


async def test_a_closed_database_is_not_copied(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.close()
    with pytest.raises(DatabaseClosedError):
        await db.backup_to(tmp_path / "copy.sqlite3")


def test_a_missing_source_is_an_error_and_is_not_created(tmp_path: Path) -> None:
    with pytest.raises(NotADatabaseFile, match="does not exist"):
        copy_database(tmp_path / "none.sqlite3", tmp_path / "copy.sqlite3")
    assert list(tmp_path.iterdir()) == []


def test_a_failed_copy_leaves_the_target_as_it_was(tmp_path: Path) -> None:
    source = tmp_path / "garbage.sqlite3"
    source.write_bytes(b"this is no database, " * 500)
    target = tmp_path / "copy.sqlite3"
    target.write_bytes(b"the previous copy")
    with pytest.raises(sqlite3.DatabaseError):
        copy_database(source, target)
    assert target.read_bytes() == b"the previous copy"
    assert _names(tmp_path) == ["copy.sqlite3", "garbage.sqlite3"]


async def test_the_check_gives_the_schema_version(db: Database, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    await db.backup_to(copy)
    with sqlite3.connect(copy) as conn:
        conn.execute("PRAGMA user_version = 2")
    conn.close()
    assert check_database_file(copy).schema_version == 2


async def test_the_check_finds_a_damaged_file(db: Database, tmp_path: Path) -> None:
    for user_id in range(2000):  # pages enough that the middle is table data
        await _add_user(db, user_id)
    copy = tmp_path / "copy.sqlite3"
    await db.backup_to(copy)
    damage(copy)
    with pytest.raises(NotADatabaseFile, match=r"damaged|not a readable"):
        check_database_file(copy)


def test_the_check_refuses_what_is_not_a_database(tmp_path: Path) -> None:
    path = tmp_path / "file.sqlite3"
    path.write_bytes(b"SQLite format 2\x00" + b"x" * 5000)
    with pytest.raises(NotADatabaseFile, match="not a readable SQLite database"):
        check_database_file(path)


def test_an_empty_file_is_an_empty_database_of_version_0(tmp_path: Path) -> None:
    path = tmp_path / "file.sqlite3"
    path.touch()
    assert check_database_file(path).schema_version == 0


def test_the_check_of_a_missing_file(tmp_path: Path) -> None:
    with pytest.raises(NotADatabaseFile, match="does not exist"):
        check_database_file(tmp_path / "none.sqlite3")


def test_a_checkpoint_folds_the_wal_into_the_file(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    conn = sqlite3.connect(live, isolation_level=None)
    conn.execute("PRAGMA journal_mode = WAL")
    conn.execute("CREATE TABLE t (x INTEGER)")
    conn.execute("INSERT INTO t VALUES (1)")
    # The file and its -wal as a killed process leaves them: the row only in the -wal.
    crashed = tmp_path / "crashed.sqlite3"
    shutil.copyfile(live, crashed)
    shutil.copyfile(f"{live}-wal", f"{crashed}-wal")
    conn.close()

    checkpoint(crashed)

    assert sidecars(crashed) == []
    with sqlite3.connect(crashed) as reopened:
        assert reopened.execute("SELECT x FROM t").fetchall() == [(1,)]
    reopened.close()
