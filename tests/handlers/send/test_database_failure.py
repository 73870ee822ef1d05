"""A database that refuses writes right after a create succeeded: the number is never
lost. The person reads it in a message, a repeated Confirm sends nothing, the write is
tried again until it lands (or at the next start), and a repeat is warned about."""

from __future__ import annotations

import asyncio
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from storage import DraftState
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest
from tests.support.notify import wait_cycles
from tests.support.send import (
    RU,
    confirm,
    confirm_data,
    creates,
    reply_with,
    summary_for_book,
    toast_said,
)
from tests.support.texts import CUT, head

pytestmark = pytest.mark.slow  # the bot waits out SQLite's busy timeout, as it would live

TOLD_WAIT = 30.0


class DatabaseLock:
    """Another program's write lock on the bot's database file (a tool, a second
    process): the bot's writes wait out the busy timeout, then fail "database is locked"."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._conn: sqlite3.Connection | None = None

    async def take(self) -> None:
        def lock() -> sqlite3.Connection:
            conn = sqlite3.connect(self.path, isolation_level=None, check_same_thread=False)
            conn.execute("BEGIN EXCLUSIVE")
            return conn

        self._conn = await asyncio.to_thread(lock)

    async def release(self) -> None:
        if self._conn is not None:
            conn, self._conn = self._conn, None
            await asyncio.to_thread(lambda: (conn.execute("ROLLBACK"), conn.close()))


@pytest.fixture
async def locked_after_create(bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch):
    """The lock is taken the moment the operator's answer to a create arrives."""
    assert bot.app is not None
    lock = DatabaseLock(Path(bot.settings.DATABASE_PATH))
    real_create = bot.app.sms.create_dispatch

    async def create_then_lock(*args: Any, **kwargs: Any) -> int | None:
        made = await real_create(*args, **kwargs)
        await lock.take()
        return made

    monkeypatch.setattr(bot.app.sms, "create_dispatch", create_then_lock)
    yield lock
    await lock.release()


def told_head() -> str:
    return head(RU("send.not_recorded", id=CUT))


async def test_the_number_is_told_kept_and_written_once_the_database_takes_it(
    bot: BotUnderTest, manager: SimUser, locked_after_create: DatabaseLock
):
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    told = await reply_with(manager, told_head(), TOLD_WAIT)
    dispatch_id = max(bot.emulator.state.dispatches)
    assert f"№{dispatch_id}" in (told.text or "") and told.message_id == summary.message_id
    [kept] = bot.store.pending_creates.items()
    assert kept.dispatch_id == dispatch_id and bot.store.pending_creates.path.exists()

    # A Confirm tapped again meanwhile is a toast; nothing goes twice.
    await manager.send_callback(confirm_data(summary), summary)
    await toast_said(bot.standin, RU("send.already_sending"))

    await locked_after_create.release()
    await wait_cycles(bot, 2)
    draft = await bot.store.drafts.get(kept.draft_id)
    assert draft is not None and (draft.state, draft.dispatch_id) == (DraftState.SENT, dispatch_id)
    assert await bot.store.dispatches.get(dispatch_id) is not None  # followed from now on
    [audit] = [e for e in await bot.store.audit.recent(10) if e.action == "dispatch.create"]
    assert audit.dispatch_id == dispatch_id
    assert bot.store.pending_creates.items() == [] and not bot.store.pending_creates.path.exists()

    # The same send again: the summary names the dispatch that went out.
    again = await summary_for_book(manager)
    assert head(RU("send.repeat_sent", ago=CUT, id=CUT)) in (again.text or "")
    assert f"№{dispatch_id}" in (again.text or "")
    assert len(creates(bot)) == 1


async def test_a_create_kept_aside_is_written_at_the_next_start_not_called_unknown(
    bot: BotUnderTest, manager: SimUser, locked_after_create: DatabaseLock
):
    summary = await summary_for_book(manager)
    await confirm(manager, summary)
    await reply_with(manager, told_head(), TOLD_WAIT)
    [kept] = bot.store.pending_creates.items()

    await bot.stop()  # before any retry could land: the file beside the database has it
    await locked_after_create.release()
    await bot.start()

    draft = await bot.store.drafts.get(kept.draft_id)
    assert draft is not None and draft.state is DraftState.SENT
    assert draft.dispatch_id == kept.dispatch_id
    assert not bot.store.pending_creates.path.exists()
    await asyncio.sleep(0.5)
    interrupted = head(RU("send.interrupted"))
    assert not any(interrupted in (m.text or "") for m in manager.messages)
