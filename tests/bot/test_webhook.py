"""Webhook mode, in this process: the stand-in delivers updates as Telegram does, the
same scenarios as polling where they apply, plus what only a webhook meets: requests
without the secret, and updates Telegram delivers again."""

from __future__ import annotations

import asyncio
from typing import Any

import aiohttp
import pytest

from bot.webhook import SECRET_HEADER, RecentUpdates
from storage import DraftState, Role
from testbed.standin import BotApiStandin, SimUser
from tests.support.harness import MANAGER_ID, WEBHOOK_SECRET, BotUnderTest
from tests.support.metrics import until_handled, updates_handled
from tests.support.send import (
    RU,
    card_head,
    confirm,
    creates,
    current_draft,
    reply_with,
    summary_for_book,
    toast_said,
)

WAIT = 10.0


async def manager_of(bot: BotUnderTest) -> SimUser:
    return await bot.user(MANAGER_ID, Role.MANAGER, first_name="Max")


def replies_to(standin: BotApiStandin, user: SimUser) -> list[Any]:
    return [m for m in standin.chat_messages(user.chat_id) if m.from_bot]


async def delivered(standin: BotApiStandin, update_id: int) -> None:
    """Until the stand-in has had a 2xx for this update."""
    await standin.state.wait_for(
        lambda: any(a.delivered for a in standin.webhook.attempts_for(update_id)) or None, WAIT
    )


async def test_the_webhook_is_set_with_the_secret_and_the_update_types_used(
    webhook_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    assert webhook_bot.app is not None
    call = standin.calls_to("setWebhook")[-1]
    assert call.params["url"] == webhook_bot.settings.WEBHOOK_URL
    assert call.params["secret_token"] == WEBHOOK_SECRET
    assert call.params.get("drop_pending_updates") in (None, False)
    used = webhook_bot.app.dispatcher.resolve_used_update_types()
    assert sorted(call.params["allowed_updates"]) == sorted(used)
    assert "callback_query" in used and "message" in used
    assert standin.webhook.url == webhook_bot.settings.WEBHOOK_URL
    assert standin.calls_to("getUpdates") == []


async def test_a_message_is_answered(webhook_bot: BotUnderTest, standin: BotApiStandin) -> None:
    manager = await manager_of(webhook_bot)
    await manager.send_text("/balance")
    text = (await manager.wait_for_reply(timeout=WAIT)).text or ""
    assert "Баланс: 42,00\u00a0₽" in text
    assert standin.calls_to("getUpdates") == []


async def test_a_stranger_gets_the_access_request_answer(webhook_bot: BotUnderTest) -> None:
    stranger = await webhook_bot.user(4100, None, first_name="Stan")
    await stranger.send_text("/start")
    await stranger.wait_for_reply(timeout=WAIT)
    assert await webhook_bot.store.access_requests.pending() != []


@pytest.mark.parametrize("header", [None, "wrong-secret_0123456789", ""])
async def test_a_request_without_the_right_secret_is_refused_and_not_handled(
    webhook_bot: BotUnderTest, standin: BotApiStandin, header: str | None
) -> None:
    manager = await manager_of(webhook_bot)
    forged = {
        "update_id": 1,
        "message": {
            "message_id": 1,
            "date": 1700000000,
            "chat": {"id": manager.chat_id, "type": "private"},
            "from": {"id": manager.user_id, "is_bot": False, "first_name": "Max"},
            "text": "/balance",
            "entities": [{"type": "bot_command", "offset": 0, "length": 8}],
        },
    }
    headers = {} if header is None else {SECRET_HEADER: header}
    async with (
        aiohttp.ClientSession() as http,
        http.post(webhook_bot.settings.WEBHOOK_URL, json=forged, headers=headers) as response,
    ):
        status = response.status
    await asyncio.sleep(0.3)  # time in which a handled update would have been answered

    assert status == 401
    assert replies_to(standin, manager) == []
    assert updates_handled(webhook_bot) == 0


@pytest.mark.parametrize("body", [b"not json", b"[1, 2]", b'{"update_id": "7"}'])
async def test_a_body_that_is_not_an_update_is_a_bad_request(
    webhook_bot: BotUnderTest, body: bytes
) -> None:
    headers = {SECRET_HEADER: WEBHOOK_SECRET, "Content-Type": "application/json"}
    async with (
        aiohttp.ClientSession() as http,
        http.post(webhook_bot.settings.WEBHOOK_URL, data=body, headers=headers) as response,
    ):
        assert response.status == 400


@pytest.mark.parametrize("reached_bot", [False, True], ids=["before-the-bot", "answer-lost"])
async def test_an_update_delivered_again_after_a_500_is_handled_once(
    webhook_bot: BotUnderTest, standin: BotApiStandin, reached_bot: bool
) -> None:
    manager = await manager_of(webhook_bot)
    standin.webhook.fail_next(500, reached_bot=reached_bot)
    message = await manager.send_text("/balance")
    update_id = standin.state.updates.last_update_id
    assert update_id is not None

    await delivered(standin, update_id)
    await manager.wait_for_reply(timeout=WAIT)
    await until_handled(webhook_bot, 1)
    await asyncio.sleep(0.3)  # a second handling would be under way by then

    attempts = standin.webhook.attempts_for(update_id)
    assert [(a.status, a.delivered) for a in attempts] == [(500, False), (200, True)]
    assert [a.reached_bot for a in attempts] == [reached_bot, True]
    assert len(replies_to(standin, manager)) == 1
    assert updates_handled(webhook_bot) == 1
    assert message.text == "/balance"


async def test_updates_sent_while_the_bot_was_down_are_answered_once_it_is_back(
    webhook_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    manager = await manager_of(webhook_bot)
    await webhook_bot.stop()
    await manager.send_text("/balance")
    await standin.state.wait_for(lambda: standin.webhook.attempts or None, WAIT)
    assert standin.webhook.last_error_message == "Connection refused"

    await webhook_bot.start()
    text = (await manager.wait_for_reply(timeout=WAIT)).text or ""

    assert "Баланс: 42,00\u00a0₽" in text
    assert len(replies_to(standin, manager)) == 1


async def test_a_handler_running_at_stop_finishes_before_the_sessions_close(
    webhook_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    manager = await manager_of(webhook_bot)
    webhook_bot.emulator.state.faults.update({"latency_ms": 800})
    await manager.send_text("/balance")
    update_id = standin.state.updates.last_update_id
    assert update_id is not None
    await delivered(standin, update_id)

    await webhook_bot.stop()  # while the handler waits for the SMS API

    assert any("Баланс" in (m.text or "") for m in replies_to(standin, manager))


async def test_a_confirm_delivered_again_under_a_new_update_id_creates_one_dispatch(
    webhook_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    manager = await manager_of(webhook_bot)
    summary = await summary_for_book(manager)
    update = await confirm(manager, summary)
    await standin.redeliver(update)  # the same tap, which no update id check would catch

    await reply_with(manager, card_head())
    dispatch_id = max(webhook_bot.emulator.state.dispatches)
    await toast_said(standin, RU("send.already_sent", id=dispatch_id), RU("send.already_sending"))
    assert len(creates(webhook_bot)) == 1
    draft = await current_draft(webhook_bot, manager)
    assert (draft.state, draft.dispatch_id) == (DraftState.SENT, dispatch_id)


async def test_a_confirm_whose_delivery_answer_was_lost_creates_one_dispatch(
    webhook_bot: BotUnderTest, standin: BotApiStandin
) -> None:
    manager = await manager_of(webhook_bot)
    summary = await summary_for_book(manager)
    standin.webhook.fail_next(502, reached_bot=True)
    update = await confirm(manager, summary)

    await delivered(standin, update["update_id"])
    await reply_with(manager, card_head())
    await asyncio.sleep(0.3)

    assert len(standin.webhook.attempts_for(update["update_id"])) == 2
    assert len(creates(webhook_bot)) == 1
    assert (await current_draft(webhook_bot, manager)).state is DraftState.SENT


def test_recent_updates_remember_a_bounded_number_of_ids() -> None:
    recent = RecentUpdates(size=2)
    assert [recent.taken_before(n) for n in (1, 2, 1)] == [False, False, True]
    assert recent.taken_before(3) is False  # forgets 1, the oldest
    assert [recent.taken_before(n) for n in (3, 1)] == [True, False]
