"""The stop list, the numbers people shared, and drafts made once under a given id."""

from __future__ import annotations

import asyncio

from storage import DraftState, Storage


async def test_the_stop_list_adds_removes_and_counts(storage: Storage):
    assert await storage.stop_list.add(["380711234568", "380711234567"], 1) == 2
    assert await storage.stop_list.add(["380711234567", "380711234569"], 2) == 1
    assert await storage.stop_list.add([], 1) == 0
    assert await storage.stop_list.count() == 3
    assert await storage.stop_list.page(2) == ["380711234567", "380711234568"]
    assert await storage.stop_list.page(2, 2) == ["380711234569"]
    assert await storage.stop_list.phones() == {"380711234567", "380711234568", "380711234569"}
    assert await storage.stop_list.remove(["380711234567", "380711230000"]) == 1
    assert await storage.stop_list.remove([]) == 0
    assert await storage.stop_list.count() == 2


async def test_a_shared_number_is_kept_and_replaced(storage: Storage):
    assert await storage.own_phones.get(7) is None
    await storage.own_phones.set(7, "+380711234567")
    await storage.own_phones.set(7, "380711234568")
    assert await storage.own_phones.get(7) == "380711234568"


async def test_a_draft_under_a_given_id_is_made_once(storage: Storage):
    made = await asyncio.gather(
        *(
            storage.drafts.create_with_id("key-1", 7, 7, text="Test", phones=["380711234567"])
            for _ in range(10)
        )
    )
    drafts = [draft for draft in made if draft is not None]
    assert len(drafts) == 1
    assert (drafts[0].id, drafts[0].state, drafts[0].phones) == (
        "key-1", DraftState.PENDING, ["380711234567"],
    )  # fmt: skip
