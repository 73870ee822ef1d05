"""What one update costs the bot process, pinned after measuring (docs/performance.md)."""

import importlib.util
from collections.abc import Iterator

import aiosqlite
import pytest
from aiogram import Router
from aiogram.dispatcher.event.handler import FilterObject
from aiogram.types import InlineKeyboardMarkup
from aiogram.utils import keyboard as aiogram_keyboard

from core.sms import AddressBook
from handlers import build_router
from handlers.send import keyboards
from testbed.emulator import RunningEmulator
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import BotUnderTest
from tests.support.send import (
    RU,
    card_head,
    prompt_with,
    reply_with,
    start_send,
    summary_head,
    text_head,
    time_head,
)
from tests.support.waiting import updates_handled


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


class RoundTrips:
    """Every trip to aiosqlite's thread (``Connection._execute``), named by its SQL."""

    def __init__(self) -> None:
        self.statements: list[str] = []
        self.last: list[str] = []  # the statements counted before the last clear()

    def __len__(self) -> int:
        return len(self.statements)

    def clear(self) -> None:
        self.last, self.statements = self.statements, []

    def note(self, fn: object, args: tuple[object, ...]) -> None:
        sql = args[0] if args and isinstance(args[0], str) else getattr(fn, "__name__", fn)
        self.statements.append(" ".join(str(sql).split())[:90])

    def __str__(self) -> str:
        return "\n".join(["", *(self.statements or self.last)])


async def _stop_background_loops(bot: BotUnderTest) -> None:
    # Count the update's own work only: the background loops read SQLite and the SMS API.
    assert bot.app is not None
    for loop in (bot.app.poller, bot.app.keeper, bot.app.digest):
        await loop.stop()


@pytest.fixture
async def sqlite_round_trips(bot: BotUnderTest, monkeypatch: pytest.MonkeyPatch) -> RoundTrips:
    await _stop_background_loops(bot)
    trips = RoundTrips()
    original = aiosqlite.Connection._execute

    async def counting(self, fn, *args, **kwargs):  # type: ignore[no-untyped-def]
        trips.note(fn, args)
        return await original(self, fn, *args, **kwargs)

    monkeypatch.setattr(aiosqlite.Connection, "_execute", counting)
    return trips


async def _handled(bot: BotUnderTest, trips: RoundTrips) -> int:
    """The trips of the update just answered, to its end (a step writes after it answers)."""
    await updates_handled(bot)
    counted = len(trips)
    trips.clear()
    return counted


async def test_balance_costs_at_most_two_sqlite_round_trips(
    bot: BotUnderTest, manager: SimUser, sqlite_round_trips: RoundTrips
) -> None:
    await manager.send_text("/balance")
    await manager.wait_for_reply()  # the first one reads the profile and the state
    await _handled(bot, sqlite_round_trips)
    await manager.send_text("/balance")
    await manager.wait_for_reply()
    assert await _handled(bot, sqlite_round_trips) <= 2, sqlite_round_trips


async def test_each_step_of_the_send_conversation_costs_at_most_8_sqlite_round_trips(
    bot: BotUnderTest, manager: SimUser, sqlite_round_trips: RoundTrips
) -> None:
    """Measured: /send 7, a book 6, the text 6, a time 6, Confirm 19 (docs/performance.md)."""
    trips = sqlite_round_trips
    prompt = await start_send(manager)
    assert 0 < await _handled(bot, trips) <= 8, str(trips)
    await manager.tap("name1", prompt)
    await prompt_with(manager, text_head())
    assert 0 < await _handled(bot, trips) <= 8, str(trips)
    await manager.send_text("Hello")
    prompt = await prompt_with(manager, time_head())
    assert 0 < await _handled(bot, trips) <= 8, str(trips)
    await manager.tap(RU("send.button_now"), prompt)
    summary = await prompt_with(manager, summary_head())
    assert 0 < await _handled(bot, trips) <= 8, str(trips)
    # Confirm records the dispatch, its subscription and its audit line in one transaction
    # (each statement a trip), and the card it becomes.
    await manager.tap(RU("send.button_confirm"), summary)
    await reply_with(manager, card_head())
    assert 0 < await _handled(bot, trips) <= 20, str(trips)


class HttpRequests:
    """The Bot API calls (but polling) and SMS API requests made since the last step."""

    def __init__(self, standin: BotApiStandin, emulator: RunningEmulator) -> None:
        self._standin, self._emulator = standin, emulator
        self._seen = (0, 0)
        self.step()

    def step(self) -> tuple[list[str], list[str]]:
        calls, requests = self._standin.calls, self._emulator.state.requests.entries()
        bot_api = [call.method for call in calls[self._seen[0] :] if call.method != "getUpdates"]
        sms_api = [f"{entry['method']} {entry['path']}" for entry in requests[self._seen[1] :]]
        self._seen = (len(calls), len(requests))
        return bot_api, sms_api


async def test_the_send_conversation_makes_9_bot_api_calls_and_6_sms_api_requests(
    bot: BotUnderTest, manager: SimUser, standin: BotApiStandin, emulator: RunningEmulator
) -> None:
    """Measured: 10 and 7 before the book tap named the book from the list /send had just
    read and Confirm stopped taking the summary's buttons off before making it the card."""
    await _stop_background_loops(bot)
    await updates_handled(bot)
    http = HttpRequests(standin, emulator)

    async def step() -> tuple[list[str], list[str]]:
        await updates_handled(bot)
        return http.step()

    prompt = await start_send(manager)
    assert await step() == (["sendMessage"], ["GET /sms-api/addressbooks"])
    await manager.tap("name1", prompt)
    await prompt_with(manager, text_head())
    tapped = (["answerCallbackQuery", "editMessageText"], ["GET /sms-api/addressbooks/1/contacts"])
    assert await step() == tapped
    await manager.send_text("Hello")
    prompt = await prompt_with(manager, time_head())
    assert await step() == (["editMessageReplyMarkup", "sendMessage"], [])
    await manager.tap(RU("send.button_now"), prompt)
    summary = await prompt_with(manager, summary_head())
    assert await step() == (
        ["answerCallbackQuery", "editMessageText"],
        ["GET /sms-api/finance/balance"],
    )
    await manager.tap(RU("send.button_confirm"), summary)
    await reply_with(manager, card_head())
    bot_api, sms_api = await step()
    assert bot_api == ["answerCallbackQuery", "editMessageText"]  # the summary becomes the card
    # The numbers afresh, the create, and the new dispatch for its card.
    assert [request.split()[0] for request in sms_api] == ["GET", "POST", "GET"], sms_api


def test_the_send_conversations_keyboards_are_not_deep_copied_button_by_button(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    books = [AddressBook(id=n, name=f"Book {n}") for n in range(12)]

    def every_keyboard() -> list[InlineKeyboardMarkup]:
        return [
            keyboards.books_keyboard(RU, "token", books, 1),
            keyboards.text_keyboard(RU, "token"),
            keyboards.time_keyboard(RU, "token"),
            keyboards.summary_keyboard(RU, "d" * 32, "token", scheduled=True),
        ]

    ours = every_keyboard()
    monkeypatch.setattr(keyboards, "InlineKeyboardBuilder", aiogram_keyboard.InlineKeyboardBuilder)
    assert ours == every_keyboard()  # the same buttons, in the same rows
    monkeypatch.undo()

    def no_deepcopy(value: object, memo: object = None) -> object:
        raise AssertionError("a keyboard was deep-copied")

    monkeypatch.setattr(aiogram_keyboard, "deepcopy", no_deepcopy)
    assert every_keyboard() == ours
