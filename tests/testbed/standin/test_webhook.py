"""Webhook delivery as Telegram does it: setWebhook's state, the POSTs with the secret
header, redelivery after a non-2xx answer, a timeout or no connection, and getUpdates
refused while a webhook is set."""

from __future__ import annotations

import asyncio
import json
import socket
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from testbed.standin import BotApiStandin
from testbed.standin.errors import WEBHOOK_ACTIVE_CONFLICT
from testbed.standin.webhook import SECRET_HEADER

SECRET = "webhook-secret_42"
WAIT = 5.0


@dataclass
class Receiver:
    """A bot's webhook endpoint: records what it is sent, answers with planned statuses
    (200 once they run out), and can be made slow."""

    url: str = ""
    received: list[tuple[dict[str, str], dict[str, Any]]] = field(default_factory=list)
    statuses: list[int] = field(default_factory=list)
    delay: float = 0.0

    async def handle(self, request: web.Request) -> web.Response:
        self.received.append((dict(request.headers), await request.json()))
        if self.delay:
            await asyncio.sleep(self.delay)
        status = self.statuses.pop(0) if self.statuses else 200
        return web.json_response({}, status=status)

    def update_ids(self) -> list[int]:
        return [body["update_id"] for _, body in self.received]


@pytest.fixture
async def receiver() -> AsyncIterator[Receiver]:
    endpoint = Receiver()
    app = web.Application()
    app.router.add_post("/hook", endpoint.handle)
    runner = web.AppRunner(app, access_log=None, shutdown_timeout=0.1)
    await runner.setup()
    site = web.TCPSite(runner, "127.0.0.1", 0)
    await site.start()
    endpoint.url = f"http://127.0.0.1:{runner.addresses[0][1]}/hook"
    yield endpoint
    await runner.cleanup()


async def call(
    http: aiohttp.ClientSession, standin: BotApiStandin, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST a form the way aiogram does: complex values JSON-encoded."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with http.post(f"{standin.url}/bot{standin.token}/{method}", data=form) as response:
        return response.status, await response.json()


async def info(http: aiohttp.ClientSession, standin: BotApiStandin) -> dict[str, Any]:
    status, body = await call(http, standin, "getWebhookInfo")
    assert status == 200, body
    return body["result"]


async def set_webhook(
    http: aiohttp.ClientSession, standin: BotApiStandin, url: str, **params: Any
) -> None:
    status, body = await call(http, standin, "setWebhook", url=url, **params)
    assert (status, body) == (200, {"ok": True, "result": True})


async def until(standin: BotApiStandin, check: Any) -> Any:
    return await standin.state.wait_for(lambda: check() or None, WAIT)


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


async def test_the_webhook_state_is_kept_and_told_by_get_webhook_info(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    assert await info(http, standin) == {
        "url": "",
        "has_custom_certificate": False,
        "pending_update_count": 0,
    }
    await set_webhook(
        http, standin, receiver.url, secret_token=SECRET, allowed_updates=["message"],
        max_connections=5,
    )  # fmt: skip
    assert await info(http, standin) == {
        "url": receiver.url,
        "has_custom_certificate": False,
        "pending_update_count": 0,
        "max_connections": 5,
        "allowed_updates": ["message"],
    }
    status, body = await call(http, standin, "deleteWebhook")
    assert (status, body["result"]) == (200, True)
    assert (await info(http, standin))["url"] == ""


async def test_get_updates_is_refused_while_a_webhook_is_set_and_works_after_delete(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    waiting = asyncio.create_task(call(http, standin, "getUpdates", timeout=5))
    await standin.wait_for_call("getUpdates", answered=False)

    await set_webhook(http, standin, receiver.url)
    refused_while_waiting = await asyncio.wait_for(waiting, WAIT)
    refused = await call(http, standin, "getUpdates")
    await call(http, standin, "deleteWebhook")
    allowed = await call(http, standin, "getUpdates")

    conflict = {"ok": False, "error_code": 409, "description": WEBHOOK_ACTIVE_CONFLICT}
    assert refused_while_waiting == (409, conflict)
    assert refused == (409, conflict)
    assert allowed == (200, {"ok": True, "result": []})


async def test_updates_are_posted_in_order_with_the_secret_header(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    ann = standin.user(21)
    await ann.send_text("one")  # queued before the webhook: delivered once it is set
    await set_webhook(http, standin, receiver.url, secret_token=SECRET)
    await ann.send_text("two")

    await until(standin, lambda: len(receiver.received) == 2)

    assert [body["message"]["text"] for _, body in receiver.received] == ["one", "two"]
    assert all(headers[SECRET_HEADER] == SECRET for headers, _ in receiver.received)
    assert all(h["Content-Type"] == "application/json" for h, _ in receiver.received)
    await until(standin, lambda: not standin.state.updates.pending)
    assert (await info(http, standin))["pending_update_count"] == 0


async def test_no_secret_header_without_a_secret_token(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    await set_webhook(http, standin, receiver.url)
    await standin.user(22).send_text("hi")
    await until(standin, lambda: receiver.received)
    headers, _ = receiver.received[0]
    assert SECRET_HEADER not in headers


async def test_a_non_2xx_answer_is_recorded_and_the_same_update_delivered_again(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    receiver.statuses = [500, 403]
    await set_webhook(http, standin, receiver.url, secret_token=SECRET)
    message = await standin.user(23).send_text("again")

    await until(standin, lambda: len(receiver.received) == 3)
    await until(standin, lambda: not standin.state.updates.pending)

    first, second, third = receiver.update_ids()
    assert first == second == third
    assert receiver.received[2][1]["message"]["message_id"] == message.message_id
    attempts = standin.webhook.attempts_for(first)
    assert [(a.status, a.delivered) for a in attempts] == [(500, False), (403, False), (200, True)]
    told = await info(http, standin)
    assert told["last_error_message"] == "Wrong response from the webhook: 403 Forbidden"
    assert isinstance(told["last_error_date"], int) and told["pending_update_count"] == 0


async def test_no_answer_in_time_is_a_read_timeout_and_redelivered(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    standin.webhook.timeout = 0.2
    receiver.delay = 0.5
    await set_webhook(http, standin, receiver.url)
    await standin.user(24).send_text("slow")

    await until(standin, lambda: len(receiver.received) >= 2)

    assert receiver.update_ids()[0] == receiver.update_ids()[1]
    assert (await info(http, standin))["last_error_message"] == "Read timeout expired"
    assert (await info(http, standin))["pending_update_count"] == 1


async def test_nobody_listening_is_connection_refused_and_the_update_waits(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    await set_webhook(http, standin, f"http://127.0.0.1:{closed_port()}/hook")
    await standin.user(25).send_text("anyone?")

    await until(standin, lambda: len(standin.webhook.attempts) >= 2)

    told = await info(http, standin)
    assert told["last_error_message"] == "Connection refused"
    assert told["pending_update_count"] == 1
    assert not any(attempt.delivered for attempt in standin.webhook.attempts)


async def test_planned_failures_before_and_after_the_bot_got_the_update(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    standin.webhook.fail_next(502)  # a proxy whose bot is not there
    standin.webhook.fail_next(500, reached_bot=True)  # the bot's answer lost on the way
    await set_webhook(http, standin, receiver.url)
    await standin.user(26).send_text("once?")

    await until(standin, lambda: any(a.delivered for a in standin.webhook.attempts))

    attempts = standin.webhook.attempts
    assert [(a.status, a.reached_bot, a.delivered) for a in attempts] == [
        (502, False, False),
        (500, True, False),
        (200, True, True),
    ]
    assert len({attempt.update_id for attempt in attempts}) == 1
    assert len(receiver.received) == 2  # the second and the third attempt reached it


async def test_only_the_allowed_update_types_are_delivered(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    await set_webhook(http, standin, receiver.url, allowed_updates=["message"])
    ann = standin.user(27)
    await ann.block_bot()  # my_chat_member: not asked for
    await ann.unblock_bot()
    await ann.send_text("only me")

    await until(standin, lambda: receiver.received)
    await until(standin, lambda: not standin.state.updates.pending)

    assert [next(k for k in body if k != "update_id") for _, body in receiver.received] == [
        "message"
    ]


async def test_setting_the_url_to_empty_removes_the_webhook(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    await set_webhook(http, standin, receiver.url)
    await set_webhook(http, standin, "")
    assert (await info(http, standin))["url"] == ""
    assert (await call(http, standin, "getUpdates"))[0] == 200


@pytest.mark.parametrize(
    ("params", "description"),
    [
        ({"url": "ftp://bot.example.com/hook"}, "bad webhook: invalid webhook URL specified"),
        ({"url": "bot.example.com/hook"}, "bad webhook: invalid webhook URL specified"),
        (
            {"url": "https://bot.example.com/hook", "secret_token": "has:colon"},
            "secret token contains unallowed characters",
        ),
        (
            {"url": "https://bot.example.com/hook", "secret_token": "x" * 257},
            "secret token contains unallowed characters",
        ),
        (
            {"url": "https://bot.example.com/hook", "max_connections": 0},
            "bad webhook: max_connections must be between 1 and 100",
        ),
    ],
)
async def test_a_bad_set_webhook_is_refused_and_changes_nothing(
    standin: BotApiStandin, http: aiohttp.ClientSession, params: dict[str, Any], description: str
) -> None:
    status, body = await call(http, standin, "setWebhook", **params)
    assert (status, body["description"]) == (400, f"Bad Request: {description}")
    assert (await info(http, standin))["url"] == ""


async def test_the_control_api_shows_the_webhook_and_plans_a_failure(
    standin: BotApiStandin, http: aiohttp.ClientSession, receiver: Receiver
) -> None:
    await set_webhook(http, standin, receiver.url)
    async with http.post(
        f"{standin.url}/_standin/webhook/fail_next", json={"status": 503}
    ) as response:
        assert response.status == 200
    async with http.post(
        f"{standin.url}/_standin/webhook/fail_next", json={"status": 200}
    ) as refused:
        assert refused.status == 400
    await standin.user(28).send_text("hi")
    await until(standin, lambda: any(a.delivered for a in standin.webhook.attempts))

    async with http.get(f"{standin.url}/_standin/state") as response:
        state = await response.json()
    assert state["webhook"]["url"] == receiver.url
    assert state["webhook"]["last_error_message"] == (
        "Wrong response from the webhook: 503 Service Unavailable"
    )
