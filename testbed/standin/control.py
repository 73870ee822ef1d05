"""`/_standin/...`: a JSON control API over the stand-in, for a sandbox page or a script.

GET  /_standin/state                       bot, users, pending updates, 429 count, faults
GET  /_standin/calls[?method=sendMessage]  the call log
GET  /_standin/chats/{chat_id}             the chat as its user sees it
GET  /_standin/groups/{chat_id}            a group as its members see it
POST /_standin/groups/{chat_id}/text       {user_id, text, reply_to_message_id?}: a member writes
POST /_standin/groups/{chat_id}/tap        {user_id, button, message_id?}: a member taps
GET  /_standin/files/{file_id}             a file's bytes (a photo the bot sent, for the page)
POST /_standin/users                       {user_id, first_name?, language_code?, username?}
POST /_standin/users/{user_id}/text        {text}
POST /_standin/users/{user_id}/reply_tap   {text}
POST /_standin/users/{user_id}/tap         {button, message_id?}
POST /_standin/users/{user_id}/document    {filename, content_base64, mime_type?}
POST /_standin/users/{user_id}/blocked     {blocked: true|false}
POST /_standin/updates                     a raw update
POST /_standin/flood                       {enabled, overall_per_second?, per_chat_per_second?, ...}
POST /_standin/fail_next                   {method, status, description, retry_after?}
POST /_standin/webhook/fail_next           {status?, reached_bot?}: the next webhook delivery
"""

from __future__ import annotations

import base64
import binascii
import dataclasses
from collections.abc import Awaitable, Callable
from typing import Any, Protocol

from aiohttp import web

from .client import SimUser
from .faults import FaultPlan
from .flood import FloodLimits
from .groups import SimGroup
from .methods import BotApiMethods
from .params import json_safe
from .serialize import message_view
from .state import RecordedCall, StandinState


class ControlledStandin(Protocol):
    """What the control API reads and moves of the stand-in (``server.ControlledStandin``)."""

    state: StandinState
    methods: BotApiMethods
    faults: FaultPlan

    @property
    def calls(self) -> list[RecordedCall]: ...
    @property
    def rate_limited_count(self) -> int: ...
    @property
    def users(self) -> list[SimUser]: ...
    @property
    def groups(self) -> list[SimGroup]: ...
    def calls_to(self, method: str) -> list[RecordedCall]: ...
    def user(
        self,
        user_id: int,
        first_name: str = ...,
        language_code: str | None = ...,
        username: str | None = ...,
    ) -> SimUser: ...
    async def enqueue_update(self, update: dict[str, Any]) -> dict[str, Any]: ...
    def enable_flood_control(self, limits: FloodLimits | None = None) -> None: ...
    def disable_flood_control(self) -> None: ...
    def fail_next(
        self, method: str, status: int, description: str, retry_after: int | None = None
    ) -> None: ...


JsonHandler = Callable[[web.Request], Awaitable[web.Response]]
FLOOD_FIELDS = (
    "overall_per_second",
    "overall_burst",
    "per_chat_per_second",
    "per_chat_burst",
    "per_group_per_minute",
)


class ControlError(Exception):
    """A control request that cannot be carried out: answered 400 or 404 with a reason."""

    def __init__(self, reason: str, status: int = 400) -> None:
        super().__init__(reason)
        self.status = status


def _json_errors(handler: JsonHandler) -> JsonHandler:
    async def guarded(request: web.Request) -> web.Response:
        try:
            return await handler(request)
        except ControlError as error:
            return web.json_response({"error": str(error)}, status=error.status)
        except (LookupError, ValueError, RuntimeError) as error:
            return web.json_response({"error": str(error)}, status=400)

    return guarded


async def _body(request: web.Request) -> dict[str, Any]:
    try:
        body = await request.json()
    except ValueError:
        raise ControlError("the body must be a JSON object") from None
    if not isinstance(body, dict):
        raise ControlError("the body must be a JSON object")
    return body


def _require(body: dict[str, Any], key: str) -> Any:
    if key not in body:
        raise ControlError(f"{key} is required")
    return body[key]


def control_routes(standin: ControlledStandin) -> list[web.RouteDef]:
    def sim_user(request: web.Request) -> SimUser:
        try:
            user_id = int(request.match_info["user_id"])
        except ValueError:
            raise ControlError("user_id must be an integer") from None
        if user_id not in standin.state.chats:
            raise ControlError(f"no user {user_id}", status=404)
        return standin.user(user_id)

    def sim_group(request: web.Request) -> SimGroup:
        try:
            chat_id = int(request.match_info["chat_id"])
        except ValueError:
            raise ControlError("chat_id must be an integer") from None
        found = next((group for group in standin.groups if group.chat_id == chat_id), None)
        if found is None:
            raise ControlError(f"no group {chat_id}", status=404)
        return found

    def member_of(group: SimGroup, body: dict[str, Any]) -> SimUser:
        try:
            user_id = int(_require(body, "user_id"))
        except (TypeError, ValueError):
            raise ControlError("user_id must be an integer") from None
        if user_id not in standin.state.chats:
            raise ControlError(f"no user {user_id}", status=404)
        if all(member["id"] != user_id for member in group.members):
            raise ControlError(f"user {user_id} is not a member of group {group.chat_id}")
        return standin.user(user_id)

    def message_id_in(body: dict[str, Any], key: str) -> int | None:
        value = body.get(key)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            raise ControlError(f"{key} must be an integer")
        return value

    @_json_errors
    async def state(request: web.Request) -> web.Response:
        return web.json_response(
            {
                "bot": standin.state.bot_user,
                "users": [user.user for user in standin.users],
                "groups": [group.chat for group in standin.groups],
                "pending_updates": len(standin.state.updates.pending),
                "rate_limited_count": standin.rate_limited_count,
                "flood": _flood_view(standin),
                "planned_failures": standin.faults.pending(),
                "webhook": standin.state.webhook.info(),
            }
        )

    @_json_errors
    async def calls(request: web.Request) -> web.Response:
        method = request.query.get("method")
        log = standin.calls_to(method) if method else standin.calls
        return web.json_response(
            [
                {
                    "method": call.method,
                    "params": json_safe(call.params),
                    "time": call.time,
                    "status": call.status,
                    "description": call.description,
                }
                for call in log
            ]
        )

    @_json_errors
    async def chat(request: web.Request) -> web.Response:
        try:
            chat_id = int(request.match_info["chat_id"])
        except ValueError:
            raise ControlError("chat_id must be an integer") from None
        found = standin.state.chats.get(chat_id)
        if found is None:
            raise ControlError(f"no chat {chat_id}", status=404)
        return web.json_response(
            {
                "user": found.user,
                "blocked": found.blocked,
                "reply_keyboard": found.reply_keyboard,
                "last_chat_action": found.last_chat_action,
                "messages": [message_view(message) for message in found.visible()],
            }
        )

    async def file(request: web.Request) -> web.Response:
        stored = standin.state.files.get(request.match_info["file_id"])
        if stored is None:
            return web.json_response({"error": "no such file"}, status=404)
        return web.Response(
            body=stored.content,
            content_type=stored.mime_type or "application/octet-stream",
            headers={"Cache-Control": "no-store", "X-Content-Type-Options": "nosniff"},
        )

    @_json_errors
    async def group(request: web.Request) -> web.Response:
        found = sim_group(request)
        return web.json_response(
            {
                "chat": found.chat,
                "members": found.members,
                "bot_status": found.bot_status,
                "migrated_to": found.migrated_to,
                "messages": [message_view(message) for message in found.messages],
            }
        )

    @_json_errors
    async def group_text(request: web.Request) -> web.Response:
        body = await _body(request)
        found = sim_group(request)
        member = member_of(found, body)
        message = await found.send_text(
            member,
            str(_require(body, "text")),
            reply_to=message_id_in(body, "reply_to_message_id"),
        )
        return web.json_response(message_view(message))

    @_json_errors
    async def group_tap(request: web.Request) -> web.Response:
        body = await _body(request)
        found = sim_group(request)
        member = member_of(found, body)
        update = await found.tap(
            member, str(_require(body, "button")), message_id_in(body, "message_id")
        )
        return web.json_response(update)

    @_json_errors
    async def add_user(request: web.Request) -> web.Response:
        body = await _body(request)
        user = standin.user(
            int(_require(body, "user_id")),
            first_name=body.get("first_name", "Ann"),
            language_code=body.get("language_code", "ru"),
            username=body.get("username"),
        )
        return web.json_response(user.user)

    @_json_errors
    async def send_text(request: web.Request) -> web.Response:
        body = await _body(request)
        message = await sim_user(request).send_text(str(_require(body, "text")))
        return web.json_response(message_view(message))

    @_json_errors
    async def reply_tap(request: web.Request) -> web.Response:
        body = await _body(request)
        message = await sim_user(request).tap_reply(str(_require(body, "text")))
        return web.json_response(message_view(message))

    @_json_errors
    async def tap(request: web.Request) -> web.Response:
        body = await _body(request)
        update = await sim_user(request).tap(str(_require(body, "button")), body.get("message_id"))
        return web.json_response(update)

    @_json_errors
    async def send_document(request: web.Request) -> web.Response:
        body = await _body(request)
        try:
            content = base64.b64decode(str(_require(body, "content_base64")), validate=True)
        except binascii.Error:
            raise ControlError("content_base64 is not base64") from None
        message = await sim_user(request).send_document(
            str(_require(body, "filename")),
            content,
            body.get("mime_type", "application/octet-stream"),
        )
        return web.json_response(message_view(message))

    @_json_errors
    async def blocked(request: web.Request) -> web.Response:
        body = await _body(request)
        user = sim_user(request)
        if _require(body, "blocked"):
            await user.block_bot()
        else:
            await user.unblock_bot()
        return web.json_response({"blocked": user.blocked_bot})

    @_json_errors
    async def enqueue(request: web.Request) -> web.Response:
        return web.json_response(await standin.enqueue_update(await _body(request)))

    @_json_errors
    async def flood(request: web.Request) -> web.Response:
        body = await _body(request)
        if _require(body, "enabled"):
            limits = {key: body[key] for key in FLOOD_FIELDS if key in body}
            standin.enable_flood_control(FloodLimits(**limits))
        else:
            standin.disable_flood_control()
        return web.json_response({"flood": _flood_view(standin)})

    @_json_errors
    async def fail_next(request: web.Request) -> web.Response:
        body = await _body(request)
        standin.fail_next(
            str(_require(body, "method")),
            int(_require(body, "status")),
            str(_require(body, "description")),
            body.get("retry_after"),
        )
        return web.json_response({"planned_failures": standin.faults.pending()})

    @_json_errors
    async def webhook_fail_next(request: web.Request) -> web.Response:
        body = await _body(request)
        status = int(body.get("status", 500))
        if not 300 <= status <= 599:
            raise ControlError("status must be an HTTP error status (300 to 599)")
        standin.state.webhook.fail_next(status, reached_bot=bool(body.get("reached_bot")))
        return web.json_response({"webhook": standin.state.webhook.info()})

    return [
        web.get("/_standin/state", state),
        web.get("/_standin/calls", calls),
        web.get("/_standin/chats/{chat_id}", chat),
        web.get("/_standin/groups/{chat_id}", group),
        web.post("/_standin/groups/{chat_id}/text", group_text),
        web.post("/_standin/groups/{chat_id}/tap", group_tap),
        web.get("/_standin/files/{file_id}", file),
        web.post("/_standin/users", add_user),
        web.post("/_standin/users/{user_id}/text", send_text),
        web.post("/_standin/users/{user_id}/reply_tap", reply_tap),
        web.post("/_standin/users/{user_id}/tap", tap),
        web.post("/_standin/users/{user_id}/document", send_document),
        web.post("/_standin/users/{user_id}/blocked", blocked),
        web.post("/_standin/updates", enqueue),
        web.post("/_standin/flood", flood),
        web.post("/_standin/fail_next", fail_next),
        web.post("/_standin/webhook/fail_next", webhook_fail_next),
    ]


def _flood_view(standin: ControlledStandin) -> dict[str, Any] | None:
    control = standin.methods.messaging.flood
    if control is None:
        return None
    limits = dataclasses.asdict(control.limits)
    limits["methods"] = sorted(limits["methods"])
    return limits
