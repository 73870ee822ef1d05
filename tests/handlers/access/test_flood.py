"""500 strangers at once, with Telegram's flood control on: every stranger is answered, the
admin gets a handful of messages and edits instead of 500, no 429 is left unretried; then
"deny all" denies them once and tells each of them, still within the limits."""

from __future__ import annotations

import asyncio
import time

import pytest

from handlers.common.i18n import translator
from storage import RequestStatus
from testbed.standin import BotApiStandin, RecordedCall, SimUser
from tests.support.access import boards_settled, is_access_request
from tests.support.harness import ADMIN_ID, BotUnderTest
from tests.support.texts import plain

pytestmark = pytest.mark.slow  # a load: 500 people, a thousand messages within the limits

RU = translator("ru")
STRANGERS = 500
TO_ADMIN = ("sendMessage", "editMessageText", "editMessageReplyMarkup")
WAIT = 90.0  # 500 answers at Telegram's 30 a second take about 17 s


def unretried(standin: BotApiStandin) -> list[RecordedCall]:
    """Calls answered 429 that were never followed by a taken call to the same chat."""
    calls = standin.calls
    return [
        call
        for index, call in enumerate(calls)
        if call.status == 429
        and not any(
            later.ok
            and later.method == call.method
            and later.params.get("chat_id") == call.params.get("chat_id")
            for later in calls[index + 1 :]
        )
    ]


def to_admin(standin: BotApiStandin) -> list[RecordedCall]:
    return [
        call
        for method in TO_ADMIN
        for call in standin.calls_to(method)
        if call.params.get("chat_id") == ADMIN_ID and call.ok
    ]


async def replies(strangers: list[SimUser]) -> list[str | None]:
    async def one(stranger: SimUser) -> str | None:
        return (await stranger.wait_for_reply(timeout=WAIT)).text

    return await asyncio.gather(*(one(stranger) for stranger in strangers))


async def test_a_flood_of_strangers_is_answered_summed_up_and_denied_within_the_limits(
    bot: BotUnderTest, standin: BotApiStandin, admin: SimUser
):
    standin.enable_flood_control()
    strangers = [standin.user(100_000 + n, f"Guest {n}") for n in range(STRANGERS)]

    started = time.monotonic()
    await asyncio.gather(*(stranger.send_text("hello") for stranger in strangers))
    answered = await replies(strangers)
    took = time.monotonic() - started
    await boards_settled(bot)

    assert answered == [RU("access.requested")] * STRANGERS
    assert took < WAIT
    assert len(await bot.store.access_requests.pending()) == STRANGERS
    board = next(m for m in reversed(admin.messages) if is_access_request(m))
    assert plain(RU.plural("access.pending_title", STRANGERS)) in (board.text or "")
    admin_calls = len(to_admin(standin))
    assert admin_calls <= 6, admin_calls  # not 500 alerts: one board, a few redraws
    assert unretried(standin) == []

    await admin.tap(RU("access.button_deny_all", n=STRANGERS), board)
    question = await admin.wait_for_reply(lambda m: "Отклонить все" in (m.text or ""))
    await admin.tap(RU("access.button_deny_all_yes", n=STRANGERS), question)
    assert (await admin.wait_for_callback_answer()).text == RU("access.deny_all_toast", n=STRANGERS)
    told = await replies(strangers)
    await boards_settled(bot)

    assert told == [RU("access.denied")] * STRANGERS
    assert await bot.store.access_requests.pending() == []
    request = await bot.store.access_requests.get(STRANGERS)
    assert request is not None and request.status is RequestStatus.DENIED
    entries = [e for e in await bot.store.audit.recent(10) if e.action == "access.deny_all"]
    assert [entry.details["count"] for entry in entries] == [STRANGERS]
    assert await bot.store.audit.count() == 1
    assert unretried(standin) == []
    assert len(to_admin(standin)) <= admin_calls + 4  # the question, its outcome, the board
