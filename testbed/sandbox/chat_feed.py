"""What the chat page reads from the stand-in, beside its `/_standin/...` control API.

GET /_sandbox/feed?since=SEQ[&wait=S]     chat events after SEQ, the people's chats and
                                          their group's (a negative id); a long poll (waits
                                          up to S seconds, 25 at most, for the first one)
GET /_sandbox/answers/{query_id}[?wait=S] the bot's answer to a tap; waits for it
GET /_sandbox/commands/{user_id}          the command menu Telegram's app would show

The page's actions (write, tap, upload) go straight to `/_standin/users/{id}/...`, and
in the group, as a chosen member, to `/_standin/groups/{chat_id}/...`.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any

from aiohttp import web

from testbed.standin import BotApiStandin, route_params
from testbed.standin.serialize import message_view
from testbed.standin.state import CallbackAnswer, Chat, StandinState

from .queries import integer, wait_seconds

FEED_WAIT_SECONDS = 25.0  # below the browsers' and proxies' idle timeouts
ANSWER_WAIT_SECONDS = 15.0  # Telegram gives up on an unanswered tap after about that


def chat_changes(state: StandinState, since: int) -> dict[str, Any]:
    """Every chat's events after `since`, oldest first, and the keyboard under its input
    field now. A `since` the stand-in never reached (the page outlived a restart) gets
    everything, marked as a reset."""
    reset = since > state.seq
    if reset:
        since = 0
    chats: dict[str, Any] = {}
    every: list[Chat] = [*state.chats.values(), *state.groups.values()]
    for chat in every:
        events = [event for event in chat.events if event.seq > since]
        if events:
            chats[str(chat.id)] = _chat_view(chat, events)
    return {"seq": state.seq, "reset": reset, "chats": chats}


def _chat_view(chat: Chat, events: list[Any]) -> dict[str, Any]:
    return {
        "events": [
            {"seq": event.seq, "kind": event.kind, "message": message_view(event.message)}
            for event in events
        ],
        "reply_keyboard": chat.reply_keyboard,
    }


def answer_view(answer: CallbackAnswer | None) -> dict[str, Any]:
    if answer is None:
        return {"answered": False}
    return {
        "answered": True,
        "text": answer.text,
        "show_alert": answer.show_alert,
        "url": answer.url,
    }


def menu_commands(standin: BotApiStandin, user_id: int, language: str) -> list[dict[str, str]]:
    """The commands Telegram's app shows this person (the stand-in resolves the scopes)."""
    return standin.menu_for(user_id, language)


def chat_feed_routes(standin: BotApiStandin) -> list[web.RouteDef]:
    state = standin.state

    async def feed(request: web.Request) -> web.Response:
        since = integer(request.query.get("since", "0"), "since")
        wait = wait_seconds(request, FEED_WAIT_SECONDS)
        with suppress(TimeoutError):  # nothing happened: the page asks again
            await state.wait_for(lambda: True if state.seq != since else None, wait)
        return web.json_response(chat_changes(state, since))

    async def answer(request: web.Request) -> web.Response:
        record = state.callback_queries.get(route_params(request)["query_id"])
        if record is None:
            raise web.HTTPNotFound(text="no such callback query")
        wait = wait_seconds(request, ANSWER_WAIT_SECONDS)
        with suppress(TimeoutError):  # not answered (yet): the page says nothing
            await state.wait_for(lambda: record.answer, wait)
        return web.json_response(answer_view(record.answer))

    async def commands(request: web.Request) -> web.Response:
        user_id = integer(route_params(request)["user_id"], "user_id")
        chat = state.chats.get(user_id)
        if chat is None:
            raise web.HTTPNotFound(text=f"no user {user_id}")
        language = str(chat.user.get("language_code") or "")
        return web.json_response(menu_commands(standin, user_id, language))

    return [
        web.get("/_sandbox/feed", feed),
        web.get("/_sandbox/answers/{query_id}", answer),
        web.get("/_sandbox/commands/{user_id}", commands),
    ]
