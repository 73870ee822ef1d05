"""getUpdates and the HTTP surface, spoken to directly as any Bot API client would."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import aiohttp

from testbed.standin import BotApiStandin
from testbed.standin.errors import GET_UPDATES_CONFLICT


async def call(
    http: aiohttp.ClientSession, standin: BotApiStandin, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    """POST a form the way aiogram does: complex values JSON-encoded."""
    form = {k: v if isinstance(v, str) else json.dumps(v) for k, v in params.items()}
    async with http.post(f"{standin.url}/bot{standin.token}/{method}", data=form) as response:
        return response.status, await response.json()


async def update_ids(http: aiohttp.ClientSession, standin: BotApiStandin, **params: Any) -> list:
    status, body = await call(http, standin, "getUpdates", **params)
    assert status == 200, body
    return [update["update_id"] for update in body["result"]]


async def test_offset_confirms_earlier_updates(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    ann = standin.user(11)
    for text in ("one", "two", "three"):
        await ann.send_text(text)

    first, second, third = await update_ids(http, standin)
    again = await update_ids(http, standin)
    after_first = await update_ids(http, standin, offset=second)
    limited = await update_ids(http, standin, limit=1)
    drained = await update_ids(http, standin, offset=third + 1)

    assert again == [first, second, third]
    assert after_first == [second, third]
    assert limited == [second]
    assert drained == []


async def test_negative_offset_keeps_only_the_latest(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    for n in range(3):
        await standin.enqueue_update({"message": {"n": n}})

    latest = await update_ids(http, standin, offset=-1)

    assert len(latest) == 1
    assert await update_ids(http, standin) == latest


async def test_long_poll_answers_as_soon_as_an_update_arrives(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    poll = asyncio.create_task(update_ids(http, standin, timeout=60))
    await standin.wait_for_call("getUpdates", answered=False)
    assert not poll.done()

    queued = await standin.enqueue_update({"message": {"text": "wake up"}})

    async with asyncio.timeout(2):  # far below the 60 s the poll may wait
        assert await poll == [queued["update_id"]]


async def test_long_poll_gives_up_after_its_timeout(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    loop = asyncio.get_running_loop()
    started = loop.time()

    assert await update_ids(http, standin, timeout=1) == []

    assert loop.time() - started >= 0.9


async def test_a_newer_poll_terminates_the_older_one(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    older = asyncio.create_task(call(http, standin, "getUpdates", timeout=60))
    await standin.wait_for_call("getUpdates", answered=False)

    newer = await call(http, standin, "getUpdates", timeout=0)

    assert newer == (200, {"ok": True, "result": []})
    assert await older == (
        409,
        {"ok": False, "error_code": 409, "description": GET_UPDATES_CONFLICT},
    )


async def test_allowed_updates_drop_unwanted_kinds_for_good(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    ann = standin.user(12)
    await ann.block_bot()  # queues my_chat_member
    await ann.unblock_bot()
    message = await ann.send_text("hi")

    only_messages = await call(http, standin, "getUpdates", allowed_updates=["message"])
    remembered = await call(http, standin, "getUpdates")
    defaults = await call(http, standin, "getUpdates", allowed_updates=[])

    for status, body in (only_messages, remembered, defaults):
        assert status == 200
        assert [u["message"]["message_id"] for u in body["result"]] == [message.message_id]
    await standin.enqueue_update({"chat_member": {}})
    assert len(await update_ids(http, standin, allowed_updates=[])) == 1  # not by default


async def test_drop_pending_updates(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    await standin.enqueue_update({"message": {}})

    status, body = await call(http, standin, "deleteWebhook", drop_pending_updates=True)

    assert (status, body) == (200, {"ok": True, "result": True})
    assert await update_ids(http, standin) == []


async def test_unknown_method_is_not_found(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    status, body = await call(http, standin, "sendHologram", chat_id=1)

    assert status == 404
    assert body == {"ok": False, "error_code": 404, "description": "Not Found"}


async def test_wrong_token_is_unauthorized_for_methods_and_files(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    ann = standin.user(13)
    upload = await ann.send_document("a.txt", b"abc", "text/plain")
    assert upload.document is not None
    status, body = await call(http, standin, "getFile", file_id=upload.document["file_id"])
    assert status == 200
    path = body["result"]["file_path"]

    async with http.post(f"{standin.url}/bot1:WRONG/getMe") as response:
        assert response.status == 401
        assert await response.json() == {
            "ok": False,
            "error_code": 401,
            "description": "Unauthorized",
        }
    async with http.get(f"{standin.url}/file/bot1:WRONG/{path}") as response:
        assert response.status == 401
    async with http.get(f"{standin.url}/file/bot{standin.token}/{path}") as response:
        assert (response.status, await response.read()) == (200, b"abc")
    async with http.get(f"{standin.url}/file/bot{standin.token}/documents/none") as response:
        assert response.status == 404


async def test_get_with_query_and_json_bodies_are_accepted(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    ann = standin.user(14)
    base = f"{standin.url}/bot{standin.token}"

    async with http.get(f"{base}/sendMessage", params={"chat_id": "14", "text": "q"}) as r:
        assert r.status == 200
    markup = {"inline_keyboard": [[{"text": "Go", "callback_data": "go"}]]}
    payload = {"chat_id": 14, "text": "j", "reply_markup": markup}
    async with http.post(f"{base}/SENDMESSAGE", json=payload) as r:
        assert r.status == 200
        assert (await r.json())["result"]["reply_markup"] == markup

    assert [m.text for m in ann.messages] == ["q", "j"]
    assert standin.calls_to("sendmessage")[1].params["reply_markup"] == markup


async def test_malformed_reply_markup_is_refused(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    standin.user(15)

    status, body = await call(http, standin, "sendMessage", chat_id=15, text="x", reply_markup="{")

    assert status == 400
    assert body["description"] == "Bad Request: can't parse reply keyboard markup JSON object"


async def test_stop_answers_a_waiting_long_poll_at_once() -> None:
    standin = await BotApiStandin.start()
    loop = asyncio.get_running_loop()
    async with aiohttp.ClientSession() as http:
        poll = asyncio.create_task(call(http, standin, "getUpdates", timeout=60))
        await standin.wait_for_call("getUpdates", answered=False)
        started = loop.time()

        await standin.stop()

        assert await poll == (200, {"ok": True, "result": []})
    assert loop.time() - started < 1


async def test_calls_are_recorded_in_order_with_decoded_params(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    standin.user(16)
    preview = {"is_disabled": True}

    await call(
        http,
        standin,
        "sendMessage",
        chat_id=16,
        text="<b>hi</b>",
        parse_mode="HTML",
        disable_notification=True,
        link_preview_options=preview,
    )
    await call(http, standin, "sendMessage", chat_id=404, text="lost")

    sent, lost = standin.calls
    assert (sent.method, sent.status, lost.status) == ("sendMessage", 200, 400)
    assert sent.params == {
        "chat_id": 16,
        "text": "<b>hi</b>",
        "parse_mode": "HTML",
        "disable_notification": True,
        "link_preview_options": preview,
    }
    assert lost.description == "Bad Request: chat not found"
    message = standin.chat_messages(16)[0]
    assert (message.text, message.source_text, message.parse_mode) == ("hi", "<b>hi</b>", "HTML")
    assert message.disable_notification
    assert message.link_preview_options == preview
