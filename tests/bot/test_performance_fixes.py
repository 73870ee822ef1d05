"""What the benchmarks found, pinned: each test names the defect it keeps away."""

from __future__ import annotations

import gc
import json
import time
import tracemalloc

import pytest
from aiogram import Bot
from aiogram.client.telegram import TelegramAPIServer
from aiogram.methods import GetMyName
from pydantic._internal import _generics

from bot.telegram_session import BotSession
from core.sms import SmsApiClient
from testbed.emulator import RunningEmulator
from testbed.emulator.views import contacts_json
from testbed.standin import BotApiStandin
from tests.support.harness import BOT_TOKEN, SMS_TOKEN

MIB = 1024 * 1024


def test_bot_api_answers_do_not_rebuild_their_response_model_each_time(
    monkeypatch: pytest.MonkeyPatch,
):
    # pydantic held Response[<type>] weakly: under load aiogram rebuilt it again and again,
    # a few milliseconds of schema building per answer (a third of the bot's CPU).
    built: list[str] = []
    original = _generics.create_generic_submodel

    def counting(name: str, *args: object) -> type:
        built.append(name)
        return original(name, *args)  # type: ignore[arg-type]

    monkeypatch.setattr(_generics, "create_generic_submodel", counting)
    session = BotSession()
    bot = Bot(BOT_TOKEN, session=session)
    answer = json.dumps({"ok": True, "result": {"name": "Phoenix SMS"}})
    for _ in range(3):
        name = session.check_response(bot, GetMyName(), 200, answer).result
        assert name is not None and name.name == "Phoenix SMS"
        gc.collect()  # the answer is gone; only a held model survives this
    assert built.count("Response[BotName]") <= 1


async def test_a_book_of_100000_contacts_is_read_in_under_20_mib_and_held_in_12(
    emulator: RunningEmulator,
):
    # As pydantic models 100,000 contacts took about 60 MiB, on top of the bot's idle
    # memory, at every send to the book; read through json.loads, a dict per row took
    # 38 MiB at the peak (a million: 1.6 s and 320 MiB).
    book = emulator.state.add_book("Big", 100_000)
    async with SmsApiClient(emulator.url, SMS_TOKEN, emulator.state.config.zone) as sms:
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            contacts = await sms.contacts(book.id)
            held, peak = (size - before for size in tracemalloc.get_traced_memory())
        finally:
            tracemalloc.stop()
    assert len(contacts) == 100_000
    assert peak < 20 * MIB, f"{peak / MIB:.1f} MiB"
    assert held < 12 * MIB, f"{held / MIB:.1f} MiB"


async def test_a_send_holds_a_books_phones_without_its_comments(emulator: RunningEmulator):
    # A city's book may name every subscriber: a million 20-letter names are 130 MiB
    # that a send never shows.
    book = emulator.state.add_book("Named", 100_000)
    book.contacts = [type(c)(c.phone, "Иванов Иван Иванович " * 2) for c in book.contacts]
    book.contacts_json = contacts_json(book)  # written before, as the emulator does
    async with SmsApiClient(emulator.url, SMS_TOKEN, emulator.state.config.zone) as sms:
        gc.collect()
        tracemalloc.start()
        try:
            before = tracemalloc.get_traced_memory()[0]
            phones = await sms.contact_phones(book.id)
            held = tracemalloc.get_traced_memory()[0] - before
        finally:
            tracemalloc.stop()
    assert len(phones) == 100_000
    assert held < 12 * MIB, f"{held / MIB:.1f} MiB"  # with the comments: 24 MiB


async def test_the_standin_notes_when_each_update_was_queued(standin: BotApiStandin):
    # The benchmark's "update in -> reply out" starts at this moment.
    user = standin.user(501, language_code="en")
    before = time.time()
    assert standin.state.updates.last_update_id is None
    await user.send_text("/balance")
    update_id = standin.state.updates.last_update_id
    assert update_id is not None
    assert before <= standin.state.updates.queued_at[update_id] <= time.time()
    pending = standin.state.updates.pending
    assert [update["update_id"] for update in pending] == [update_id]
    assert "queued_at" not in json.dumps(pending)  # nothing extra reaches the bot


async def test_closing_waits_for_tls_connections_only(monkeypatch: pytest.MonkeyPatch):
    # aiogram sleeps 250 ms at close for TLS connections; over plain http there are none.
    slept: list[float] = []

    async def sleep(seconds: float) -> None:
        slept.append(seconds)

    monkeypatch.setattr("aiogram.client.session.aiohttp.asyncio.sleep", sleep)
    for base, waits in (("http://127.0.0.1:8081", []), ("https://api.telegram.org", [0.25])):
        session = BotSession(api=TelegramAPIServer.from_base(base))
        client = await session.create_session()
        await session.close()
        assert client.closed
        assert slept == waits
        slept.clear()
