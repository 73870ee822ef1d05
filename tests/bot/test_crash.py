"""``kill -9`` between the create POST and its commit: nothing is sent twice, the user is
told the outcome is unknown, and what the poller missed while the bot was down comes
after the restart, once. The bot runs as ``python -m bot`` in its own process."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any

import pytest
from aiohttp import web

from bench.conversation import TEXTS, head, prompt_holding
from bench.processes import ADMIN_ID, BotProcess, bot_env
from bench.rig import start_emulator
from storage import DraftState, Storage
from testbed.emulator import RunningEmulator
from testbed.emulator.validation import NewDispatch
from testbed.standin import BotApiStandin, SimUser

pytestmark = pytest.mark.slow  # python -m bot in its own process, killed

CREATE_PATH = "/sms-api/dispatches"
TEXT = "Crash test: spring offer"
WAIT = 20.0
EN = TEXTS["en"]


class CreateHold:
    """Lets a create reach the emulator and be carried out, then holds its answer until
    released: the bot is killed while it waits for it."""

    def __init__(self) -> None:
        self.created = asyncio.Event()
        self.released = asyncio.Event()

        @web.middleware
        async def hold(request: web.Request, handler: Any) -> web.StreamResponse:
            response = await handler(request)
            if request.method == "POST" and request.path == CREATE_PATH:
                self.created.set()
                await self.released.wait()
            return response

        self.middleware = hold


@pytest.fixture
def hold() -> CreateHold:
    return CreateHold()


@pytest.fixture
async def emulator(hold: CreateHold) -> AsyncIterator[RunningEmulator]:
    running = await start_emulator([hold.middleware], speed=0)
    yield running
    hold.released.set()
    await running.stop()


@pytest.fixture
async def bot(
    standin: BotApiStandin, emulator: RunningEmulator, tmp_path: Path
) -> AsyncIterator[BotProcess]:
    env = bot_env(standin, emulator, tmp_path / "bot.sqlite3", POLL_INTERVAL="0.2")
    process = BotProcess("bot", env, tmp_path / "bot.log")
    await process.start(standin)
    yield process
    await process.stop()


def creates(emulator: RunningEmulator) -> list[dict[str, Any]]:
    return [
        entry
        for entry in emulator.state.requests.entries()
        if entry["method"] == "POST" and entry["path"] == CREATE_PATH
    ]


def gets_of(emulator: RunningEmulator, dispatch_id: int) -> int:
    path = f"/sms-api/dispatches/{dispatch_id}"
    return sum(1 for e in emulator.state.requests.entries() if e["path"] == path)


async def until(check: Callable[[], bool], seconds: float = WAIT) -> None:
    # The emulator's request log has no event to wait on: look again every 50 ms.
    async with asyncio.timeout(seconds):
        while not check():  # noqa: ASYNC110
            await asyncio.sleep(0.05)


def news_about(standin: BotApiStandin, user: SimUser, dispatch_id: int, after: int) -> list[str]:
    """New bot messages in the user's chat after event ``after`` naming the dispatch."""
    return [
        event.message.text or ""
        for event in standin.state.chat(user.chat_id).events
        if event.seq > after
        and event.kind == "sent"
        and event.message.from_bot
        and f"#{dispatch_id}" in (event.message.text or "")
    ]


async def walk_to_summary(user: SimUser) -> Any:
    await user.send_text("/send")
    prompt = await user.wait_for_reply(prompt_holding(EN.recipients), WAIT)
    await user.tap("name1", prompt)
    await user.wait_for_reply(prompt_holding(EN.text_prompt), WAIT)
    await user.send_text(TEXT)
    time_prompt = await user.wait_for_reply(prompt_holding(EN.time_prompt), WAIT)
    await user.tap(EN.t("send.button_now"), time_prompt)
    return await user.wait_for_reply(prompt_holding(EN.summary), WAIT)


async def test_bot_killed_between_the_create_and_its_commit_posts_once_and_says_unknown(
    bot: BotProcess,
    standin: BotApiStandin,
    emulator: RunningEmulator,
    hold: CreateHold,
    tmp_path: Path,
):
    # A dispatch made elsewhere, followed from the bot, waits in tariffing.
    followed = emulator.state.create_dispatch(NewDispatch("Made elsewhere", ["380711234567"], None))
    admin = standin.user(ADMIN_ID, "Alla", language_code="en")
    await admin.send_text(f"/track {followed}")
    await admin.wait_for_reply(lambda m: f"#{followed}" in (m.text or ""), WAIT)
    seen = gets_of(emulator, followed)
    await until(lambda: gets_of(emulator, followed) >= seen + 2)  # observed and stored

    summary = await walk_to_summary(admin)
    await admin.tap(EN.t("send.button_confirm"), summary)
    await asyncio.wait_for(hold.created.wait(), WAIT)  # created; the answer is held
    await bot.kill()

    # While the bot is down, the followed dispatch starts sending.
    emulator.state.hurry_dispatch(followed)
    hold.released.set()
    mark = standin.state.seq
    await bot.start(standin)

    told = await admin.wait_for_reply(lambda m: head(EN.t("send.interrupted")) in (m.text or ""))
    assert told.text
    await until(lambda: len(news_about(standin, admin, followed, mark)) >= 1)
    polls = gets_of(emulator, followed)
    await until(lambda: gets_of(emulator, followed) >= polls + 3)  # three more cycles
    news = news_about(standin, admin, followed, mark)
    assert len(news) == 1, news
    assert len(creates(emulator)) == 1
    assert sum(1 for d in emulator.state.dispatches.values() if d.text == TEXT) == 1

    assert await bot.stop() == 0
    store = await Storage.open(tmp_path / "bot.sqlite3")
    try:
        rows = await store.db.fetchall("SELECT state FROM drafts WHERE text = ?", (TEXT,))
    finally:
        await store.close()
    assert [DraftState(row["state"]) for row in rows] == [DraftState.UNKNOWN]
