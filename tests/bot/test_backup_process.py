"""Backup and restore as an operator runs them: ``python -m bot backup FILE`` beside a
running ``python -m bot``, ``python -m bot restore FILE``, and the periodic backups."""

from __future__ import annotations

import asyncio
import sqlite3
import stat
import sys
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bench.processes import ADMIN_ID, BotProcess, bot_env
from bench.rig import seed_users
from storage.backup import copy_database
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin
from tests.support.paths import ROOT
from tests.support.storage import damage

pytestmark = pytest.mark.slow  # python -m bot in its own process

MANAGERS = range(5000, 5040)


def rows(database: Path) -> dict[str, list[tuple[object, ...]]]:
    """Every row of every table (read beside a running bot: WAL lets a reader in)."""
    conn = sqlite3.connect(f"{database.as_uri()}?mode=ro", uri=True)
    try:
        tables = [
            name
            for (name,) in conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%'"
            )
        ]
        return {
            table: sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)
            for table in tables
        }
    finally:
        conn.close()


async def run_bot_command(env: dict[str, str], *args: str) -> tuple[int, list[str], list[str]]:
    """``python -m bot ARGS``: exit code, lines on stdout, lines on stderr."""
    proc = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "bot", *args,
        env=env, cwd=ROOT, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE,
    )  # fmt: skip
    out, err = await asyncio.wait_for(proc.communicate(), 60)
    assert proc.returncode is not None
    return proc.returncode, out.decode().splitlines(), err.decode().splitlines()


class Deployment:
    """A database folder and the environment ``python -m bot`` runs with."""

    def __init__(self, standin: BotApiStandin, emulator: RunningEmulator, folder: Path) -> None:
        self.standin = standin
        self.folder = folder
        self.database = folder / "data" / "bot.sqlite3"
        self.env = bot_env(standin, emulator, self.database)
        self.process: BotProcess | None = None

    async def start(self, **settings: str) -> BotProcess:
        env = {**self.env, **settings}
        self.process = BotProcess("bot", env, self.folder / "bot.log")
        await self.process.start(self.standin)
        return self.process

    async def stop(self) -> None:
        if self.process is not None:
            assert await self.process.stop() == 0, self.process.output()[-2000:]
            self.process = None

    async def talk(self) -> None:
        """Rows the running bot writes itself: the admin's /start, a profile, a draft."""
        admin = self.standin.user(ADMIN_ID, "Alla", language_code="en")
        await admin.send_text("/start")
        await admin.wait_for_reply(timeout=20)


@pytest.fixture
async def deployment(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[Deployment]:
    made = Deployment(standin, emulator, tmp_path)
    await seed_users(made.database, MANAGERS)
    yield made
    if made.process is not None:
        await made.process.kill()


async def test_a_backup_beside_the_running_bot_holds_every_row_and_a_restore_is_refused(
    deployment: Deployment, tmp_path: Path
):
    process = await deployment.start()
    await deployment.talk()
    target = tmp_path / "backups" / "now.sqlite3"

    code, out, err = await run_bot_command(deployment.env, "backup", str(target))

    assert (code, err) == (0, []), err
    assert len(out) == 1 and out[0].startswith(f"Backed up {deployment.database} to {target}")
    assert process.running
    assert rows(target) == rows(deployment.database)
    assert len(rows(target)["users"]) == len(MANAGERS) + 1
    assert stat.S_IMODE(target.stat().st_mode) == 0o600

    before = rows(deployment.database)
    code, out, err = await run_bot_command(deployment.env, "restore", str(target))

    assert (code, out) == (1, [])
    assert err == [
        f"Restore refused: a bot (pid {process.pid}) is running on {deployment.database}; "
        "stop it first, then restore."
    ]
    assert process.running
    assert rows(deployment.database) == before
    await deployment.stop()


async def test_restore_of_a_damaged_file_is_refused(deployment: Deployment, tmp_path: Path):
    await seed_users(deployment.database, range(7000, 9000))  # pages enough to damage
    target = tmp_path / "copy.sqlite3"
    copy_database(deployment.database, target)
    damage(target)
    before = rows(deployment.database)

    code, out, err = await run_bot_command(deployment.env, "restore", str(target))

    assert (code, out) == (1, [])
    assert len(err) == 1 and err[0].startswith(f"Restore refused: {target} "), err
    assert rows(deployment.database) == before
    assert not [path for path in deployment.database.parent.iterdir() if "replaced" in path.name]


async def test_restore_keeps_the_replaced_database_and_the_bot_starts_on_the_backup(
    deployment: Deployment, tmp_path: Path
):
    target = tmp_path / "monday.sqlite3"
    assert (await run_bot_command(deployment.env, "backup", str(target)))[0] == 0
    await seed_users(deployment.database, [6000])  # after the backup: only in the database
    later = rows(deployment.database)
    assert later != rows(target)

    code, out, err = await run_bot_command(deployment.env, "restore", str(target))

    assert (code, err) == (0, [])
    [aside] = [path for path in deployment.database.parent.iterdir() if "replaced" in path.name]
    assert out[0].startswith(f"Checked {target}: integrity ok")
    assert out[1:] == [
        f"Kept the replaced database as {aside}",
        f"Restored {target} as {deployment.database}",
    ]
    assert rows(aside) == later
    assert rows(deployment.database) == rows(target)
    await deployment.start()  # the bot runs on what was restored
    await deployment.talk()
    await deployment.stop()


async def test_the_running_bot_backs_up_periodically_and_keeps_the_newest(
    deployment: Deployment, tmp_path: Path
):
    folder = tmp_path / "backups"
    # 0.0003 hours: about a second apart, the floor being one second.
    process = await deployment.start(BACKUP_DIR=str(folder), BACKUP_EVERY="0.0003", BACKUP_KEEP="2")
    await deployment.talk()
    for _ in range(300):
        if process.output().count("Backup written to") >= 4:
            break
        await asyncio.sleep(0.05)
    else:
        pytest.fail(f"fewer than 4 backups in 15 s:\n{process.output()[-2000:]}")
    await deployment.stop()

    kept = sorted(folder.iterdir())
    assert len(kept) == 2, kept
    assert all(path.name.startswith("bot-") for path in kept)
    assert rows(kept[-1])["users"] == rows(deployment.database)["users"]
    assert "(1 older removed)" in process.output()
