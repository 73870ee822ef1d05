"""What one update costs the bot process, pinned after measuring (docs/performance.md)."""

import importlib.util
from collections import Counter
from collections.abc import Iterator

import aiosqlite
import pytest
from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject

from handlers import build_router
from testbed.standin import SimUser
from tests.support.harness import BotUnderTest


def _filters(router: Router) -> Iterator[tuple[str, FilterObject]]:
    for observer_name, observer in router.observers.items():
        for handler in observer.handlers:
            for item in handler.filters or ():
                yield f"{router.name}.{observer_name}:{handler.callback.__name__}", item
    for child in router.sub_routers:
        yield from _filters(child)


def test_no_filter_runs_in_a_worker_thread() -> None:
    # aiogram runs a synchronous filter (a bare F... included) through asyncio.to_thread.
    threaded = [where for where, item in _filters(build_router()) if not item.awaitable]
    assert threaded == []


def test_http_requests_do_not_search_for_a_missing_module() -> None:
    # httpcore imports sniffio on every request; a missing one is looked for on disk each time.
    assert importlib.util.find_spec("sniffio") is not None


@pytest.fixture
async def sqlite_round_trips(bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    assert bot.app is not None
    await bot.app.poller.stop()  # count the update's trips only
    counted: Counter[str] = Counter()
    original = aiosqlite.Connection._execute

    async def counting(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        counted["trips"] += 1
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return counted


async def test_balance_costs_at_most_two_sqlite_round_trips(
    bot: BotUnderTest, manager: SimUser, sqlite_round_trips: Counter[str]
) -> None:
    await manager.send_text("/balance")
    await manager.wait_for_reply()  # the first one reads the profile and the state
    sqlite_round_trips.clear()
    await manager.send_text("/balance")
    await manager.wait_for_reply()
    assert sqlite_round_trips["trips"] <= 2


async def test_a_tap_in_the_send_conversation_costs_at_most_25_sqlite_round_trips(
    bot: BotUnderTest, manager: SimUser, sqlite_round_trips: Counter[str]
) -> None:
    await manager.send_text("/send")
    await manager.wait_for_reply()
    sqlite_round_trips.clear()
    await manager.tap("name1")
    await manager.wait_for_reply()
    assert 0 < sqlite_round_trips["trips"] <= 25
