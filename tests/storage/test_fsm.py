"""The persistent FSM storage: a conversation survives a restart."""

from __future__ import annotations

import asyncio
import dataclasses
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest
from aiogram.exceptions import DataNotDictLikeError
from aiogram.fsm.context import FSMContext
from aiogram.fsm.state import State, StatesGroup
from aiogram.fsm.storage.base import StorageKey

from storage import Storage
from tests.support.storage import ManualClock


class SendFlow(StatesGroup):
    recipients = State()
    text = State()


KEY = StorageKey(bot_id=1, chat_id=70, user_id=7)


async def _records(storage: Storage) -> int:
    row = await storage.db.fetchone("SELECT count(*) FROM fsm_records")
    assert row is not None
    return int(row[0])


async def test_a_conversation_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    data = {
        "book_id": 3,
        "book_name": "Клиенты",
        "share": 0.25,
        "confirmed": False,
        "date_send": None,
        "phones": ["380711234567", "71234567"],
        "nested": {"page": 2, "seen": [1, 2, {"x": True}]},
    }
    before = await Storage.open(path)
    context = FSMContext(storage=before.fsm, key=KEY)
    await context.set_state(SendFlow.text)
    await context.set_data(data)
    await before.close()

    after = await Storage.open(path)
    try:
        context = FSMContext(storage=after.fsm, key=KEY)
        assert await context.get_state() == SendFlow.text.state == "SendFlow:text"
        assert await context.get_data() == data
    finally:
        await after.close()


async def test_every_change_is_committed_at_once_and_a_non_change_writes_nothing(
    storage: Storage, clock: ManualClock
) -> None:
    def on_disk() -> tuple[str, str, str] | None:
        # Another connection sees only what is committed.
        with closing(sqlite3.connect(storage.db.path)) as conn:
            row = conn.execute("SELECT state, data, updated_at FROM fsm_records").fetchone()
        return None if row is None else tuple(row)

    context = FSMContext(storage=storage.fsm, key=KEY)
    await context.set_state(SendFlow.text)
    await context.update_data({"draft": "a", "page": 1})
    written = on_disk()
    assert written is not None and written[:2] == ("SendFlow:text", '{"draft": "a", "page": 1}')

    clock.advance(minutes=1)
    await context.set_state(SendFlow.text)
    await context.update_data({"page": 1})
    await context.set_data({"draft": "a", "page": 1})
    assert on_disk() == written  # the same record: not written again

    await context.update_data({"page": 2})
    changed = on_disk()
    assert changed is not None and changed[1] == '{"draft": "a", "page": 2}'
    assert changed[2] != written[2]
    await context.clear()
    assert on_disk() is None


async def test_state_accepts_state_objects_strings_and_none(storage: Storage) -> None:
    await storage.fsm.set_state(KEY, SendFlow.recipients)
    assert await storage.fsm.get_state(KEY) == "SendFlow:recipients"
    await storage.fsm.set_state(KEY, "custom:step")
    assert await storage.fsm.get_state(KEY) == "custom:step"
    await storage.fsm.set_state(KEY, None)
    assert await storage.fsm.get_state(KEY) is None


async def test_an_unknown_key_has_no_state_and_no_data(storage: Storage) -> None:
    assert await storage.fsm.get_state(KEY) is None
    assert await storage.fsm.get_data(KEY) == {}
    assert await storage.fsm.get_value(KEY, "missing", "fallback") == "fallback"


@pytest.mark.parametrize(
    "other",
    [
        dataclasses.replace(KEY, bot_id=2),
        dataclasses.replace(KEY, chat_id=71),
        dataclasses.replace(KEY, user_id=8),
        dataclasses.replace(KEY, thread_id=5),
        dataclasses.replace(KEY, thread_id=0),
        dataclasses.replace(KEY, business_connection_id="bc"),
        dataclasses.replace(KEY, business_connection_id=""),
        dataclasses.replace(KEY, destiny="poll"),
    ],
)
async def test_every_key_field_separates_records(storage: Storage, other: StorageKey) -> None:
    await storage.fsm.set_state(KEY, SendFlow.text)
    await storage.fsm.set_data(KEY, {"who": "base"})
    await storage.fsm.set_state(other, SendFlow.recipients)
    await storage.fsm.set_data(other, {"who": "other"})

    assert await storage.fsm.get_state(KEY) == "SendFlow:text"
    assert await storage.fsm.get_data(KEY) == {"who": "base"}
    assert await storage.fsm.get_state(other) == "SendFlow:recipients"
    assert await storage.fsm.get_data(other) == {"who": "other"}


async def test_set_data_replaces_and_update_data_merges(storage: Storage) -> None:
    await storage.fsm.set_data(KEY, {"a": 1, "b": 2})
    await storage.fsm.set_data(KEY, {"c": 3})
    assert await storage.fsm.get_data(KEY) == {"c": 3}
    merged = await storage.fsm.update_data(KEY, {"d": 4, "c": 30})
    assert merged == {"c": 30, "d": 4}
    assert await storage.fsm.get_data(KEY) == merged


async def test_returned_data_is_a_copy(storage: Storage) -> None:
    await storage.fsm.set_data(KEY, {"phones": ["1"]})
    data = await storage.fsm.get_data(KEY)
    data["phones"].append("2")
    assert await storage.fsm.get_data(KEY) == {"phones": ["1"]}


async def test_concurrent_updates_of_different_fields_all_land(storage: Storage) -> None:
    """Two handlers running at once (aiogram handles updates as tasks) lose nothing."""
    await asyncio.gather(*(storage.fsm.update_data(KEY, {f"f{i}": i}) for i in range(20)))
    assert await storage.fsm.get_data(KEY) == {f"f{i}": i for i in range(20)}


async def test_state_and_data_are_independent(storage: Storage) -> None:
    await storage.fsm.set_data(KEY, {"kept": True})
    await storage.fsm.set_state(KEY, SendFlow.text)
    await storage.fsm.set_state(KEY, None)
    assert await storage.fsm.get_data(KEY) == {"kept": True}
    await storage.fsm.set_state(KEY, SendFlow.text)
    await storage.fsm.set_data(KEY, {})
    assert await storage.fsm.get_state(KEY) == "SendFlow:text"


async def test_a_cleared_conversation_leaves_no_record(storage: Storage) -> None:
    context = FSMContext(storage=storage.fsm, key=KEY)
    await context.set_state(SendFlow.text)
    await context.update_data(text="draft")
    assert await _records(storage) == 1
    await context.clear()
    assert await _records(storage) == 0


async def test_data_must_be_a_mapping_of_json_values(storage: Storage) -> None:
    with pytest.raises(DataNotDictLikeError):
        await storage.fsm.set_data(KEY, ["not", "a", "dict"])  # type: ignore[arg-type]
    with pytest.raises(TypeError):
        await storage.fsm.set_data(KEY, {"when": object()})
    with pytest.raises(TypeError):
        await storage.fsm.update_data(KEY, {"when": object()})
    assert await _records(storage) == 0


async def test_closing_the_fsm_storage_leaves_the_database_open(storage: Storage) -> None:
    await storage.fsm.close()
    await storage.fsm.set_state(KEY, SendFlow.text)
    assert await storage.fsm.get_state(KEY) == "SendFlow:text"
    assert not storage.db.closed
