"""Backups and restores, piece by piece: names, pruning, the periodic task, the two
commands' steps and refusals (the real process: ``test_backup_process.py``)."""

from __future__ import annotations

import asyncio
import logging
import os
import shutil
import sqlite3
import stat
from collections.abc import AsyncIterator, Callable
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from bot.__main__ import main
from bot.backup import (
    PeriodicBackup,
    backup_command,
    backup_name,
    backups_in,
    made_at,
    prune,
)
from bot.instance_lock import InstanceLock
from bot.restore import restore_command
from core.settings import Settings
from storage import LATEST_VERSION, Database
from storage.migrations import MIGRATIONS
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.harness import BOT_TOKEN, SMS_TOKEN, BotUnderTest
from tests.support.storage import damage

MOMENT = datetime(2025, 3, 1, 9, 5, 7, tzinfo=UTC)


def settings_for(database: Path) -> Settings:
    return Settings(  # type: ignore[call-arg]
        _env_file=None, BOT_TOKEN=BOT_TOKEN, SMS_API_TOKEN=SMS_TOKEN, DATABASE_PATH=database
    )


async def add_user(db: Database, user_id: int) -> None:
    await db.execute(
        "INSERT INTO users (user_id, role, created_at, updated_at) VALUES (?, 'manager', 'x', 'x')",
        (user_id,),
    )


def user_ids(path: Path) -> list[int]:
    conn = sqlite3.connect(path)
    try:
        return [row[0] for row in conn.execute("SELECT user_id FROM users ORDER BY user_id")]
    finally:
        conn.close()


def names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.fixture
async def db(tmp_path: Path) -> AsyncIterator[Database]:
    opened = await Database.open(tmp_path / "data" / "bot.sqlite3")
    await add_user(opened, 1)
    yield opened
    await opened.close()


async def make_database(path: Path, *user_ids: int, version: int = LATEST_VERSION) -> None:
    db = await Database.open(path, migrations=MIGRATIONS[:version])
    try:
        for user_id in user_ids:
            await add_user(db, user_id)
    finally:
        await db.close()


# -- names and pruning ---------------------------------------------------------------


def test_a_periodic_backup_is_named_by_its_moment_in_utc() -> None:
    name = backup_name(MOMENT.astimezone(timezone(timedelta(hours=3))))
    assert name == "bot-20250301-090507.sqlite3"
    assert made_at(Path(name)) == MOMENT


def test_a_name_that_is_not_a_backups_has_no_moment() -> None:
    with pytest.raises(ValueError, match="not a periodic backup"):
        made_at(Path("bot.sqlite3"))


def test_pruning_keeps_the_newest_and_touches_nothing_else(tmp_path: Path) -> None:
    made = [tmp_path / backup_name(MOMENT + timedelta(hours=hour)) for hour in (3, 1, 2, 0)]
    others = ["bot.sqlite3", "bot-2025.sqlite3", "notes.txt", "bot-20250301-090507.sqlite3-wal"]
    for path in [*made, *(tmp_path / name for name in others)]:
        path.write_bytes(b"x")
    removed = prune(tmp_path, keep=2)
    assert [path.name for path in removed] == [made[3].name, made[1].name]
    assert names(tmp_path) == sorted([made[0].name, made[2].name, *others])
    assert backups_in(tmp_path) == [made[2], made[0]]


def test_no_folder_has_no_backups(tmp_path: Path) -> None:
    assert backups_in(tmp_path / "none") == []
    assert prune(tmp_path / "none", keep=1) == []


# -- the periodic task ---------------------------------------------------------------


async def test_a_backup_now_writes_a_private_copy_and_prunes(db: Database, tmp_path: Path):
    folder = tmp_path / "backups"
    backups = PeriodicBackup(db, folder, every=timedelta(hours=1), keep=2)
    written = [await backups.backup_now(MOMENT + timedelta(hours=hour)) for hour in range(3)]
    assert backups_in(folder) == written[1:]
    assert user_ids(written[-1]) == [1]
    assert stat.S_IMODE(written[-1].stat().st_mode) == 0o600
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700


async def test_without_earlier_backups_the_first_is_made_at_start(db: Database, tmp_path: Path):
    folder = tmp_path / "backups"
    backups = PeriodicBackup(db, folder, every=timedelta(hours=24), keep=3)
    backups.start()
    try:
        await _wait_for(lambda: len(backups_in(folder)) == 1)
    finally:
        await asyncio.wait_for(backups.stop(), 5)  # a day's wait ends at once
    assert user_ids(backups_in(folder)[0]) == [1]


async def test_the_next_is_due_an_interval_after_the_newest_in_the_folder(
    db: Database, tmp_path: Path
):
    folder = tmp_path / "backups"
    folder.mkdir()
    now = datetime.now(UTC)
    recent = folder / backup_name(now)  # made within the last second
    recent.write_bytes(b"")
    backups = PeriodicBackup(db, folder, every=timedelta(seconds=2), keep=5)
    backups.start()
    try:
        await asyncio.sleep(0.3)
        assert backups_in(folder) == [recent]  # a restart does not copy again at once
        await _wait_for(lambda: len(backups_in(folder)) == 2, seconds=5)
    finally:
        await backups.stop()


async def test_backups_repeat_and_old_ones_go(db: Database, tmp_path: Path):
    folder = tmp_path / "backups"
    # A clock on which an hour passes at every look: each copy is due at once.
    moments = iter(MOMENT + timedelta(hours=hour) for hour in range(10_000))
    backups = PeriodicBackup(
        db, folder, every=timedelta(hours=1), keep=2, now=lambda: next(moments)
    )
    backups.start()
    try:
        await _wait_for(lambda: _newest_hour(folder) >= 4)
    finally:
        await backups.stop()
    assert len(backups_in(folder)) == 2


def _newest_hour(folder: Path) -> int:
    found = backups_in(folder)
    return int((made_at(found[-1]) - MOMENT) / timedelta(hours=1)) if found else -1


async def test_a_failed_backup_is_logged_and_the_bot_goes_on(
    db: Database, tmp_path: Path, caplog: pytest.LogCaptureFixture
):
    blocked = tmp_path / "a-file"
    blocked.write_text("not a folder")
    backups = PeriodicBackup(db, blocked / "backups", every=timedelta(hours=1), keep=1)
    with caplog.at_level(logging.ERROR, logger="bot.backup"):
        backups.start()
        await _wait_for(lambda: "Backup to" in caplog.text)
        await asyncio.wait_for(backups.stop(), 5)
    assert "failed" in caplog.text
    assert await db.schema_version() == LATEST_VERSION  # still in use


async def test_stop_before_start_and_twice_is_harmless(db: Database, tmp_path: Path):
    backups = PeriodicBackup(db, tmp_path, every=timedelta(hours=1), keep=1)
    await backups.stop()
    backups.start()
    await backups.stop()
    await backups.stop()


def test_no_folder_no_periodic_backups(tmp_path: Path) -> None:
    settings = settings_for(tmp_path / "bot.sqlite3")
    assert PeriodicBackup.from_settings(settings, db=None) is None  # type: ignore[arg-type]
    hourly = settings.model_copy(
        update={"BACKUP_DIR": tmp_path, "BACKUP_EVERY": 0.5, "BACKUP_KEEP": 3}
    )
    backups = PeriodicBackup.from_settings(hourly, db=None)  # type: ignore[arg-type]
    assert backups is not None
    assert (backups.folder, backups.period, backups.keep) == (tmp_path, timedelta(minutes=30), 3)


async def test_the_running_bot_writes_backups_into_the_folder(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
):
    folder = tmp_path / "backups"
    bot = BotUnderTest(standin, emulator, tmp_path / "bot.sqlite3", BACKUP_DIR=str(folder))
    await bot.start()
    try:
        await _wait_for(lambda: len(backups_in(folder)) == 1)
    finally:
        await bot.stop()
    assert bot.app is None
    assert user_ids(backups_in(folder)[0]) == [1000]  # the admin, written at start


async def _wait_for(condition: Callable[[], bool], seconds: float = 5.0) -> None:
    for _ in range(int(seconds / 0.02)):
        if condition():
            return
        await asyncio.sleep(0.02)
    raise AssertionError(f"not so after {seconds} s")


# -- python -m bot backup FILE ------------------------------------------------------------


async def test_backup_command_writes_a_checked_private_copy(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 5, 6)
    target = tmp_path / "copies" / "monday.sqlite3"
    assert backup_command(settings_for(database), target) == 0
    assert user_ids(target) == [5, 6]
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    out = capsys.readouterr()
    assert out.err == ""
    assert out.out.splitlines() == [
        f"Backed up {database} to {target} (schema version {LATEST_VERSION}, "
        f"{target.stat().st_size // 1024} KiB, integrity ok)"
    ]


async def test_backup_command_into_a_folder_names_the_copy(tmp_path: Path):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 5)
    folder = tmp_path / "copies"
    folder.mkdir()
    assert backup_command(settings_for(database), folder) == 0
    [copy] = backups_in(folder)
    assert user_ids(copy) == [5]


async def test_backup_command_refuses_to_write_over_the_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 5)
    assert backup_command(settings_for(database), tmp_path / "." / "bot.sqlite3") == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Backup refused: {tmp_path / '.' / 'bot.sqlite3'} is the database itself"
    ]
    assert user_ids(database) == [5]


def test_backup_command_without_a_database_says_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    assert backup_command(settings_for(database), tmp_path / "copy.sqlite3") == 1
    assert capsys.readouterr().err.splitlines() == [f"Backup failed: {database} does not exist"]
    assert names(tmp_path) == []


# -- python -m bot restore FILE ---------------------------------------------------------


async def test_restore_puts_the_backup_in_place_and_keeps_the_old_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "data" / "bot.sqlite3"
    await make_database(database, 1, 2)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9)
    before = backup.read_bytes()

    assert restore_command(settings_for(database), backup) == 0

    assert user_ids(database) == [9]
    [aside] = [name for name in names(database.parent) if ".replaced-" in name]
    assert aside.startswith("bot.sqlite3.replaced-20")
    assert user_ids(database.parent / aside) == [1, 2]
    assert not [name for name in names(database.parent) if name.endswith(("-wal", "-shm"))]
    assert backup.read_bytes() == before  # the backup itself is never changed
    assert stat.S_IMODE(database.stat().st_mode) == 0o600
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].startswith(f"Checked {backup}: integrity ok, schema version {LATEST_VERSION}")
    assert lines[1:] == [
        f"Kept the replaced database as {database.parent / aside}",
        f"Restored {backup} as {database}",
    ]


async def test_restore_keeps_a_database_it_cannot_open_as_it_was(tmp_path: Path):
    database = tmp_path / "bot.sqlite3"
    garbage = b"garbage " * 1000
    database.write_bytes(garbage)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9)

    assert restore_command(settings_for(database), backup) == 0

    assert user_ids(database) == [9]
    [aside] = [name for name in names(tmp_path) if ".replaced-" in name]
    assert (tmp_path / aside).read_bytes() == garbage


async def test_restore_moves_the_replaced_databases_journal_with_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9)
    # The bot was killed: its last write is in the -wal only.
    await asyncio.to_thread(_leave_a_wal, database, 2)

    assert restore_command(settings_for(database), backup) == 0

    [aside] = [name for name in names(tmp_path) if ".replaced-" in name]
    assert user_ids(tmp_path / aside) == [1, 2]
    assert "Kept the replaced database as" in capsys.readouterr().out


def _leave_a_wal(database: Path, user_id: int) -> None:
    """Leave ``database`` and its -wal as a killed bot does: the last row in the -wal."""
    scratch = database.with_name("scratch.sqlite3")
    shutil.copyfile(database, scratch)
    conn = sqlite3.connect(scratch, isolation_level=None)
    conn.execute("PRAGMA wal_autocheckpoint = 0")
    conn.execute(
        "INSERT INTO users (user_id, role, created_at, updated_at) VALUES (?, 'manager', 'x', 'x')",
        (user_id,),
    )
    shutil.copyfile(scratch, database)
    shutil.copyfile(f"{scratch}-wal", f"{database}-wal")
    conn.close()
    scratch.unlink()
    assert Path(f"{database}-wal").stat().st_size > 0


async def test_restore_without_a_database_yet(tmp_path: Path, capsys: pytest.CaptureFixture[str]):
    database = tmp_path / "new" / "bot.sqlite3"
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9)
    assert restore_command(settings_for(database), backup) == 0
    assert user_ids(database) == [9]
    assert f"No database at {database} yet" in capsys.readouterr().out


async def test_an_older_backup_is_restored_and_upgraded_at_the_next_start(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9, version=1)

    assert restore_command(settings_for(database), backup) == 0
    assert "schema version 1 (older than this bot's" in capsys.readouterr().out

    db = await Database.open(database)
    try:
        assert await db.schema_version() == LATEST_VERSION
    finally:
        await db.close()
    assert user_ids(database) == [9]
    assert user_ids(tmp_path / f"bot.sqlite3.before-v{LATEST_VERSION}") == [9]


async def test_restore_is_refused_while_a_bot_holds_the_lock(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9)
    lock = InstanceLock(database)
    lock.acquire()
    try:
        assert restore_command(settings_for(database), backup) == 1
    finally:
        lock.release()
    assert capsys.readouterr().err.splitlines() == [
        f"Restore refused: a bot (pid {os.getpid()}) is running on {database}; "
        "stop it first, then restore."
    ]
    assert user_ids(database) == [1]


async def test_restore_of_a_damaged_file_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, *range(2000))
    damage(backup)

    assert restore_command(settings_for(database), backup) == 1

    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith(f"Restore refused: {backup} ")
    assert user_ids(database) == [1]
    assert not [name for name in names(tmp_path) if "replaced" in name or "restoring" in name]


@pytest.mark.parametrize(
    ("content", "said"),
    [(b"", "holds no bot data"), (b"plain text, " * 400, "not a readable SQLite database")],
)
async def test_restore_of_what_is_not_a_backup_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], content: bytes, said: str
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    backup = tmp_path / "backup.sqlite3"
    backup.write_bytes(content)
    assert restore_command(settings_for(database), backup) == 1
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("Restore refused:") and said in line
    assert user_ids(database) == [1]


async def test_restore_of_a_newer_schema_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    backup = tmp_path / "backup.sqlite3"
    await make_database(backup, 9)
    conn = sqlite3.connect(backup)
    conn.execute(f"PRAGMA user_version = {LATEST_VERSION + 1}")
    conn.close()
    assert restore_command(settings_for(database), backup) == 1
    assert capsys.readouterr().err.splitlines() == [
        f"Restore refused: {backup} has schema version {LATEST_VERSION + 1}, newer than this "
        f"bot knows ({LATEST_VERSION}): restore it with the version of the bot that wrote it"
    ]
    assert user_ids(database) == [1]


@pytest.mark.parametrize("missing", [True, False])
async def test_restore_refuses_a_missing_file_and_the_database_itself(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], missing: bool
):
    database = tmp_path / "bot.sqlite3"
    await make_database(database, 1)
    source = tmp_path / "none.sqlite3" if missing else database
    assert restore_command(settings_for(database), source) == 1
    said = "does not exist" if missing else "is the database itself"
    assert capsys.readouterr().err.splitlines() == [f"Restore refused: {source} {said}"]
    assert user_ids(database) == [1]


@pytest.mark.parametrize("args", [["backup"], ["restore"], ["restore", "a", "b"], ["backup", ""]])
def test_backup_and_restore_take_exactly_one_file(
    args: list[str], capsys: pytest.CaptureFixture[str]
):
    with pytest.raises(SystemExit) as stopped:
        main(args)
    assert stopped.value.code == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.endswith(
        "Usage: python -m bot [check | backup FILE | restore FILE | sandbox | demo]"
    )
