"""Database: connection settings, serialised transactions, closing."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from storage.db import Database, DatabaseClosedError


@pytest.fixture
async def db(tmp_path: Path):
    database = await Database.open(tmp_path / "bot.sqlite3")
    await database.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT NOT NULL)")
    yield database
    await database.close()


async def _pragma(db: Database, name: str) -> object:
    row = await db.fetchone(f"PRAGMA {name}")
    assert row is not None
    return row[0]


async def test_open_creates_parent_folders(tmp_path: Path) -> None:
    path = tmp_path / "data" / "nested" / "bot.sqlite3"
    db = await Database.open(str(path))
    await db.close()
    assert path.is_file()


async def test_connection_uses_wal_busy_timeout_foreign_keys_and_normal_sync(db: Database) -> None:
    assert await _pragma(db, "journal_mode") == "wal"
    assert await _pragma(db, "busy_timeout") == 5000
    assert await _pragma(db, "foreign_keys") == 1
    assert await _pragma(db, "synchronous") == 1  # NORMAL


async def test_transaction_commits_on_success(db: Database, tmp_path: Path) -> None:
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO notes (body) VALUES ('kept')")
    other = await Database.open(tmp_path / "bot.sqlite3")
    try:
        rows = await other.fetchall("SELECT body FROM notes")
    finally:
        await other.close()
    assert [row["body"] for row in rows] == ["kept"]


async def test_transaction_rolls_back_on_error(db: Database) -> None:
    with pytest.raises(RuntimeError, match="boom"):
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO notes (body) VALUES ('lost')")
            raise RuntimeError("boom")
    assert await db.fetchall("SELECT * FROM notes") == []
    # The connection is usable again: no transaction was left open.
    async with db.transaction() as conn:
        await conn.execute("INSERT INTO notes (body) VALUES ('next')")
    assert len(await db.fetchall("SELECT * FROM notes")) == 1


async def test_transaction_rolls_back_when_cancelled(db: Database) -> None:
    inside = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO notes (body) VALUES ('cancelled')")
            inside.set()
            await asyncio.Event().wait()

    task = asyncio.create_task(writer())
    await inside.wait()
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert await db.fetchall("SELECT * FROM notes") == []


async def test_concurrent_transactions_on_one_connection_do_not_interleave(db: Database) -> None:
    """Read-modify-write from many coroutines, each yielding to the others in between."""
    await db.execute("INSERT INTO notes (id, body) VALUES (1, '0')")

    async def increment() -> None:
        async with db.transaction() as conn:
            async with conn.execute("SELECT body FROM notes WHERE id = 1") as cursor:
                row = await cursor.fetchone()
            await asyncio.sleep(0)  # let every other coroutine run here
            await conn.execute("UPDATE notes SET body = ? WHERE id = 1", (str(int(row[0]) + 1),))

    await asyncio.gather(*(increment() for _ in range(30)))
    row = await db.fetchone("SELECT body FROM notes WHERE id = 1")
    assert row is not None and row["body"] == "30"


async def test_one_coroutines_rollback_does_not_undo_anothers_write(db: Database) -> None:
    failing_started = asyncio.Event()

    async def failing() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO notes (body) VALUES ('failing')")
            failing_started.set()
            await asyncio.sleep(0)
            await asyncio.sleep(0)
            raise ValueError("bad input")

    async def succeeding() -> None:
        await failing_started.wait()
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO notes (body) VALUES ('succeeding')")

    results = await asyncio.gather(failing(), succeeding(), return_exceptions=True)
    assert isinstance(results[0], ValueError) and results[1] is None
    rows = await db.fetchall("SELECT body FROM notes")
    assert [row["body"] for row in rows] == ["succeeding"]


async def test_reads_wait_for_an_open_transaction(db: Database) -> None:
    """A read on the shared connection must not see another coroutine's uncommitted row.

    The writer keeps its transaction open while the read is attempted, then rolls back.
    A read that waited sees nothing; a read that slipped in would have seen the row.
    """
    written = asyncio.Event()
    reading: asyncio.Task[list] | None = None

    async def writer() -> None:
        async with db.transaction() as conn:
            await conn.execute("INSERT INTO notes (body) VALUES ('uncommitted')")
            written.set()
            await asyncio.sleep(0)
            assert reading is not None
            # Bounded: a correct read cannot finish before this transaction ends.
            await asyncio.wait([reading], timeout=0.2)
            raise LookupError("roll back")

    writing = asyncio.create_task(writer())
    await written.wait()
    reading = asyncio.create_task(db.fetchall("SELECT body FROM notes"))
    with pytest.raises(LookupError):
        await writing
    assert await reading == []


async def test_nested_use_inside_a_transaction_fails_fast_instead_of_deadlocking(
    db: Database,
) -> None:
    async with db.transaction():
        with pytest.raises(RuntimeError, match="already held"):
            await db.fetchone("SELECT 1")


async def test_execute_returns_changed_row_count(db: Database) -> None:
    await db.execute("INSERT INTO notes (body) VALUES ('a'), ('b'), ('c')")
    assert await db.execute("UPDATE notes SET body = 'x' WHERE body != 'a'") == 2


async def test_close_is_idempotent_and_later_use_is_refused(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.close()
    await db.close()
    assert db.closed
    with pytest.raises(DatabaseClosedError):
        await db.fetchone("SELECT 1")


async def test_close_waits_for_the_running_transaction(tmp_path: Path) -> None:
    db = await Database.open(tmp_path / "bot.sqlite3")
    await db.execute("CREATE TABLE notes (body TEXT)")
    in_transaction = asyncio.Event()

    async def writer() -> None:
        async with db.transaction() as conn:
            in_transaction.set()
            await asyncio.sleep(0)
            await conn.execute("INSERT INTO notes VALUES ('finished')")

    task = asyncio.create_task(writer())
    await in_transaction.wait()
    await db.close()
    await task
    reopened = await Database.open(tmp_path / "bot.sqlite3")
    try:
        assert len(await reopened.fetchall("SELECT * FROM notes")) == 1
    finally:
        await reopened.close()
