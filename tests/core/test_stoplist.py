"""core.stoplist: what every sender calls before its POST."""

from __future__ import annotations

import pytest

from core import stoplist
from core.stoplist import without_stopped
from storage import Storage


async def test_nothing_stopped_keeps_the_same_list(store: Storage):
    phones = ["380711234567", "380711234568"]
    kept, stopped = await without_stopped(store, phones)
    assert (kept, stopped) == (phones, 0)
    assert kept is phones  # a million numbers are not copied for nothing


async def test_stopped_numbers_are_left_out_in_order(store: Storage):
    await store.stop_list.add(["380711234568"], None)
    kept, stopped = await without_stopped(store, ("380711234569", "380711234568", "380711234567"))
    assert (kept, stopped) == (["380711234569", "380711234567"], 1)


async def test_a_long_list_is_filtered_the_same_in_a_thread(
    store: Storage, monkeypatch: pytest.MonkeyPatch
):
    monkeypatch.setattr(stoplist, "IN_THREAD_FROM", 3)
    await store.stop_list.add(["380711234568", "380711234570"], None)
    phones = [f"3807112345{end}" for end in range(66, 71)]
    kept, stopped = await without_stopped(store, phones)
    assert (kept, stopped) == (["380711234566", "380711234567", "380711234569"], 2)


async def test_every_number_stopped_leaves_nothing(store: Storage):
    await store.stop_list.add(["380711234567"], None)
    assert await without_stopped(store, ["380711234567"]) == ([], 1)
