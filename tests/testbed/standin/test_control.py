"""The /_standin JSON control API, extra routes, and simulated users' own rules."""

from __future__ import annotations

import base64
from typing import Any

import aiohttp
import pytest
from aiohttp import web

from testbed.standin import BotApiStandin, route_params
from testbed.standin.client import command_entities


async def post(
    http: aiohttp.ClientSession, standin: BotApiStandin, path: str, body: Any
) -> tuple[int, Any]:
    async with http.post(f"{standin.url}/_standin{path}", json=body) as response:
        return response.status, await response.json()


async def get(http: aiohttp.ClientSession, standin: BotApiStandin, path: str) -> Any:
    async with http.get(f"{standin.url}/_standin{path}") as response:
        assert response.status == 200
        return await response.json()


async def bot_call(
    http: aiohttp.ClientSession, standin: BotApiStandin, method: str, **params: Any
) -> tuple[int, dict[str, Any]]:
    async with http.post(f"{standin.url}/bot{standin.token}/{method}", json=params) as response:
        return response.status, await response.json()


async def test_a_user_made_over_http_writes_and_taps(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    status, user = await post(http, standin, "/users", {"user_id": 31, "first_name": "Eve"})
    assert (status, user["first_name"]) == (200, "Eve")
    await post(http, standin, "/users/31/text", {"text": "/start"})
    markup = {"inline_keyboard": [[{"text": "Approve", "callback_data": "ok:31"}]]}
    await bot_call(http, standin, "sendMessage", chat_id=31, text="Request", reply_markup=markup)

    status, update = await post(http, standin, "/users/31/tap", {"button": "Approve"})
    chat = await get(http, standin, "/chats/31")

    assert status == 200
    assert update["callback_query"]["data"] == "ok:31"
    assert [m["text"] for m in chat["messages"]] == ["/start", "Request"]
    assert chat["messages"][1]["inline_keyboard"] == markup["inline_keyboard"]
    assert [u["message"]["text"] for u in standin.state.updates.pending[:1]] == ["/start"]


async def test_document_upload_and_blocking_over_http(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    await post(http, standin, "/users", {"user_id": 32})
    content = base64.b64encode(b"380711234567").decode()

    status, message = await post(
        http,
        standin,
        "/users/32/document",
        {"filename": "n.csv", "content_base64": content, "mime_type": "text/csv"},
    )
    file_status, file = await bot_call(
        http, standin, "getFile", file_id=message["document"]["file_id"]
    )
    await post(http, standin, "/users/32/blocked", {"blocked": True})
    blocked_status, blocked = await bot_call(http, standin, "sendMessage", chat_id=32, text="x")

    assert (status, file_status, file["result"]["file_size"]) == (200, 200, 12)
    assert (blocked_status, blocked["description"]) == (
        403,
        "Forbidden: bot was blocked by the user",
    )


async def test_switches_over_http(standin: BotApiStandin, http: aiohttp.ClientSession) -> None:
    await post(http, standin, "/users", {"user_id": 33})

    await post(
        http,
        standin,
        "/fail_next",
        {
            "method": "sendMessage",
            "status": 429,
            "description": "Too Many Requests: retry after 3",
            "retry_after": 3,
        },
    )
    limited = await bot_call(http, standin, "sendMessage", chat_id=33, text="x")
    await post(http, standin, "/flood", {"enabled": True, "per_chat_burst": 1})
    allowed = await bot_call(http, standin, "sendMessage", chat_id=33, text="y")
    flooded = await bot_call(http, standin, "sendMessage", chat_id=33, text="z")
    state = await get(http, standin, "/state")
    calls = await get(http, standin, "/calls?method=sendMessage")

    assert limited[1]["parameters"] == {"retry_after": 3}
    assert allowed[0] == 200
    assert flooded[0] == 429 and flooded[1]["parameters"]["retry_after"] == 1
    assert state["rate_limited_count"] == 2
    assert state["flood"]["per_chat_burst"] == 1
    assert [c["status"] for c in calls] == [429, 200, 429]


async def test_control_errors_are_plain_json(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    assert await post(http, standin, "/users/99/text", {"text": "hi"}) == (
        404,
        {"error": "no user 99"},
    )
    assert await post(http, standin, "/users", {"first_name": "x"}) == (
        400,
        {"error": "user_id is required"},
    )
    await post(http, standin, "/users", {"user_id": 34})
    status, body = await post(http, standin, "/users/34/tap", {"button": "Nope"})
    assert status == 400
    assert body["error"] == "no bot message with an inline keyboard in this chat"


async def test_raw_updates_can_be_queued_over_http(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    status, queued = await post(http, standin, "/updates", {"edited_message": {"text": "x"}})

    assert status == 200
    assert standin.state.updates.pending == [queued]


async def test_routes_added_after_start_are_served(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    async def page(request: web.Request) -> web.Response:
        return web.Response(text=f"chat {route_params(request)['chat_id']}")

    standin.add_routes([web.get("/chat/{chat_id:\\d+}", page)])

    async with http.get(f"{standin.url}/chat/42") as response:
        assert (response.status, await response.text()) == (200, "chat 42")
    async with http.get(f"{standin.url}/chat/abc") as response:
        assert response.status == 404
    async with http.post(f"{standin.url}/chat/42") as response:
        assert response.status == 404


# -- simulated users' rules -------------------------------------------------------------


def test_commands_anywhere_in_the_text_are_marked() -> None:
    assert command_entities("😀 /send@phoenix_sms_bot now, then /help") == [
        {"type": "bot_command", "offset": 3, "length": 21},
        {"type": "bot_command", "offset": 35, "length": 5},
    ]
    assert command_entities("a/b and http://x/y") == []


async def test_users_cannot_tap_what_is_not_there(standin: BotApiStandin) -> None:
    ann = standin.user(35)
    markup = {
        "inline_keyboard": [[{"text": "Docs", "url": "https://example.org"}]],
    }
    await standin.methods.call(
        "sendMessage", {"chat_id": 35, "text": "See", "reply_markup": markup}
    )

    with pytest.raises(LookupError, match="no inline button 'Other'"):
        await ann.tap("Other")
    with pytest.raises(ValueError, match="sends no callback"):
        await ann.tap("Docs")
    with pytest.raises(LookupError, match="no reply keyboard button"):
        await ann.tap_reply("Menu")
    await ann.block_bot()
    with pytest.raises(RuntimeError, match="blocked the bot"):
        await ann.send_text("hello?")


async def test_a_forged_callback_carries_any_data(standin: BotApiStandin) -> None:
    ann = standin.user(37)
    with pytest.raises(LookupError, match="no bot message"):
        await ann.send_callback("admin:approve:1")
    await standin.methods.call("sendMessage", {"chat_id": 37, "text": "No buttons here"})

    update = await ann.send_callback("admin:approve:1")
    await standin.methods.call(
        "answerCallbackQuery", {"callback_query_id": update["callback_query"]["id"], "text": "No"}
    )

    assert update["callback_query"]["data"] == "admin:approve:1"
    assert update["callback_query"]["message"]["text"] == "No buttons here"
    assert (await ann.wait_for_callback_answer(timeout=0.1)).text == "No"


async def test_the_same_user_object_for_the_same_id(standin: BotApiStandin) -> None:
    assert standin.user(36) is standin.user(36, first_name="Other")
    assert standin.user(36).user == {
        "id": 36,
        "is_bot": False,
        "first_name": "Ann",
        "language_code": "ru",
    }


async def test_a_group_over_http_members_write_reply_and_tap(
    standin: BotApiStandin, http: aiohttp.ClientSession
) -> None:
    alla, max_ = standin.user(41, "Alla"), standin.user(42, "Max")
    team = standin.group(-41, "Team", [alla, max_])
    await team.add_bot(by=alla)
    markup = {"inline_keyboard": [[{"text": "Re-run", "callback_data": "gr:7"}]]}
    _, sent = await bot_call(
        http, standin, "sendMessage", chat_id=-41, text="Stopped", reply_markup=markup
    )
    standin.state.updates.drop_pending()

    status, reply = await post(
        http,
        standin,
        "/groups/-41/text",
        {"user_id": 41, "text": "150", "reply_to_message_id": sent["result"]["message_id"]},
    )
    tap_status, update = await post(
        http, standin, "/groups/-41/tap", {"user_id": 42, "button": "Re-run"}
    )
    group = await get(http, standin, "/groups/-41")
    state = await get(http, standin, "/state")

    assert (status, reply["reply_to_message_id"]) == (200, sent["result"]["message_id"])
    assert reply["sender"]["id"] == 41
    assert tap_status == 200 and update["callback_query"]["from"]["id"] == 42
    assert update["callback_query"]["message"]["chat"]["id"] == -41
    assert [m["text"] for m in group["messages"]][-2:] == ["Stopped", "150"]
    assert group["chat"]["title"] == "Team" and group["bot_status"] == "member"
    assert [m["id"] for m in group["members"]] == [41, 42]
    assert state["groups"] == [{"id": -41, "type": "group", "title": "Team"}]
    heard = [u["message"]["text"] for u in standin.state.updates.pending if "message" in u]
    assert heard == ["150"]  # a reply to the bot reaches it


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/groups/-41/text", {"user_id": 43, "text": "hi"}, 400),  # not a member
        ("/groups/-41/text", {"user_id": 99, "text": "hi"}, 404),  # nobody
        ("/groups/-41/text", {"user_id": "x", "text": "hi"}, 400),
        ("/groups/-41/text", {"text": "hi"}, 400),
        ("/groups/-41/text", {"user_id": 41, "text": "hi", "reply_to_message_id": "1"}, 400),
        ("/groups/-41/tap", {"user_id": 41, "button": "Nothing"}, 400),
        ("/groups/-99/text", {"user_id": 41, "text": "hi"}, 404),
        ("/groups/team/text", {"user_id": 41, "text": "hi"}, 400),
    ],
)
async def test_group_control_calls_that_cannot_be_carried_out_are_refused(
    standin: BotApiStandin, http: aiohttp.ClientSession, path: str, body: Any, status: int
) -> None:
    alla = standin.user(41, "Alla")
    standin.user(43, "Stan")
    team = standin.group(-41, "Team", [alla])
    await team.add_bot(by=alla)
    got, answer = await post(http, standin, path, body)
    assert got == status and "error" in answer
    async with http.get(f"{standin.url}/_standin/groups/-99") as response:
        assert response.status == 404
