"""The small key-value state: one key, several at once, and a removal."""

from __future__ import annotations

from storage import Storage


async def test_several_keys_are_read_at_once_and_only_those_that_are_set(storage: Storage):
    await storage.state.set("a", "1")
    await storage.state.set("b", "two")
    await storage.state.set("c", "3")
    assert await storage.state.get_many(["a", "b", "missing"]) == {"a": "1", "b": "two"}
    assert await storage.state.get_many([]) == {}
    assert await storage.state.delete("a") is True
    assert await storage.state.delete("a") is False
    assert await storage.state.get("a") is None
    assert await storage.state.get_many(["a", "c"]) == {"c": "3"}
