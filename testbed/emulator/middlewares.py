"""What wraps every request: the request log, fault injection, the token, error bodies."""

from __future__ import annotations

import asyncio
import hmac
import json
from http import HTTPStatus
from typing import Any

from aiohttp import web
from aiohttp.typedefs import Handler

from .dialects import LOGIN_REDIRECT, SPRING_ERRORS
from .errors import ApiError, unauthorized
from .faults import Fault
from .login import login_redirect
from .responses import STATE_KEY, json_response

API_PATH = "/sms-api"
CONTROL_PATH = "/_emulator"
CREATE_PATH = "/sms-api/dispatches"
FAULT_KEY = web.RequestKey("emulator_fault", str)
DROPPED_KEY = web.RequestKey("emulator_dropped", bool)


def is_api(request: web.Request) -> bool:
    return _under(request.path, API_PATH)


def is_control(request: web.Request) -> bool:
    return _under(request.path, CONTROL_PATH)


@web.middleware
async def log_requests(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Record each API request: method, path, query without the token, body, status."""
    if not is_api(request):
        return await handler(request)
    state = request.app[STATE_KEY]
    entry: dict[str, Any] = {
        "time": state.dates.format_datetime(state.clock.now()),
        "method": request.method,
        "path": request.path,
        "query": {key: value for key, value in request.query.items() if key != "token"},
        "body": _loggable_body(await request.read()) if request.can_read_body else None,
    }
    status: int | None = 500
    try:
        response = await handler(request)
        status = None if request.get(DROPPED_KEY) else response.status
        return response
    except web.HTTPException as exc:
        status = exc.status
        raise
    finally:
        entry["status"] = status
        entry["fault"] = request.get(FAULT_KEY)
        state.requests.record(entry)


@web.middleware
async def inject_faults(request: web.Request, handler: Handler) -> web.StreamResponse:
    """Make the API slow, broken, silent or down, as the fault settings say."""
    if not is_api(request):
        return await handler(request)
    faults = request.app[STATE_KEY].faults
    if faults.settings.latency_ms:
        await asyncio.sleep(faults.settings.latency_ms / 1000)
    is_create = request.method == "POST" and request.path == CREATE_PATH
    decision = faults.decide(is_create)
    if decision.fault is None:
        return await handler(request)
    request[FAULT_KEY] = decision.fault.value
    match decision.fault:
        case Fault.DOWN:
            return _proxy_page(503, "Service Temporarily Unavailable")
        case Fault.TIMEOUT:
            await faults.hang()
            return _drop_connection(request)
        case Fault.ERROR:
            if decision.error_status == 500:
                return _server_error(request)
            return _proxy_page(decision.error_status, _REASONS[decision.error_status])
        case Fault.ECHO_URL:
            # Some servers (and proxies) quote the request back, the token in the query
            # string as it was sent: percent-encoded.
            return _echoing_refusal(request)
        case Fault.GARBAGE:
            # The server did its work (a create created); its answer is mangled on the way.
            response = await handler(request)
            if not 200 <= response.status < 300:
                return response
            return web.Response(body=_GARBAGE, content_type="application/json")
        case Fault.LOSE_CREATE:
            response = await handler(request)
            if response.status != 200:
                del request[FAULT_KEY]  # nothing was created, so nothing is lost
                return response
            return _drop_connection(request)


@web.middleware
async def check_token(request: web.Request, handler: Handler) -> web.StreamResponse:
    """``?token=`` must match; a user blocked by the operator loses the API too.

    In the login_redirect dialect the API sends such a client to the login page.
    """
    api = is_api(request)
    if not (api or is_control(request)):
        return await handler(request)
    state = request.app[STATE_KEY]
    given = request.query.get("token", "").encode()
    if not hmac.compare_digest(given, state.config.token.encode()) or (api and state.blocked):
        if not api:
            return json_response(unauthorized().body(), 401)
        if LOGIN_REDIRECT in state.dialects:
            return login_redirect(request)
        return _api_error(request, unauthorized())
    return await handler(request)


@web.middleware
async def render_errors(request: web.Request, handler: Handler) -> web.StreamResponse:
    """API errors as ``{"code", "message"}``; unknown API paths as the service's 404."""
    try:
        return await handler(request)
    except ApiError as error:
        if is_api(request):
            return _api_error(request, error)
        return json_response(error.body(), error.status)
    except web.HTTPException as exc:
        if exc.status < 400 or not (is_api(request) or is_control(request)):
            raise
        if is_control(request):
            return json_response({"code": "NOT_FOUND", "message": exc.reason}, exc.status)
        return _server_error(request, exc.status, exc.reason)


MIDDLEWARES = (log_requests, inject_faults, check_token, render_errors)

_REASONS = {
    500: "Internal Server Error",
    502: "Bad Gateway",
    503: "Service Temporarily Unavailable",
}
# The log keeps every request; these bound what one big request may take of it.
_LOGGED_BODY_BYTES = 64 * 1024
_LOGGED_LIST_ITEMS = 100
# A JSON answer cut short, as a broken proxy might pass it on.
_GARBAGE = b'{\n  "idDispatch" : 1,\n  "dateSend" : "01.02.20<html><body>502 Bad'


def _under(path: str, prefix: str) -> bool:
    return path == prefix or path.startswith(prefix + "/")


def _loggable_body(raw: bytes) -> Any:
    """The body as JSON; a big one (a create for a whole book) with its lists cut short."""
    if not raw:
        return None
    try:
        body = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        return raw[:_LOGGED_BODY_BYTES].decode("utf-8", errors="replace")
    if len(raw) <= _LOGGED_BODY_BYTES or not isinstance(body, dict):
        return body
    cut = {
        key: len(value)
        for key, value in body.items()
        if isinstance(value, list) and len(value) > _LOGGED_LIST_ITEMS
    }
    for key in cut:
        body[key] = body[key][:_LOGGED_LIST_ITEMS]
    body["_truncated"] = cut  # the full lengths of the lists cut short
    return body


def _drop_connection(request: web.Request) -> web.Response:
    """Close the connection with no answer; the response returned is never written."""
    request[DROPPED_KEY] = True
    if request.transport is not None:
        request.transport.close()
    return web.Response()


def _api_error(request: web.Request, error: ApiError) -> web.Response:
    """The API's ``{"code", "message"}``, or in the spring_errors dialect Spring Boot's
    default error body with the same status and no code or message."""
    if SPRING_ERRORS not in request.app[STATE_KEY].dialects:
        return json_response(error.body(), error.status)
    body = {
        "timestamp": _timestamp(request),
        "status": error.status,
        "error": HTTPStatus(error.status).phrase,
        "path": request.path,
    }
    return json_response(request.app[STATE_KEY].views().finish(body), error.status)


def _timestamp(request: web.Request) -> str:
    """The emulator's now as Spring Boot writes an error's time: ISO-8601 with an offset."""
    return request.app[STATE_KEY].clock.now().isoformat(timespec="milliseconds")


def _server_error(
    request: web.Request, status: int = 500, reason: str = "Internal Server Error"
) -> web.Response:
    """The service framework's own error body, not the API's ``{"code", "message"}``."""
    body = {
        "timestamp": _timestamp(request),
        "status": status,
        "error": reason,
        "message": "No message available",
        "path": request.path,
    }
    return json_response(request.app[STATE_KEY].views().finish(body), status)


def _echoing_refusal(request: web.Request) -> web.Response:
    body = {
        "code": "argument-not-valid",
        "message": f"Request {request.method} {request.raw_path} could not be processed",
    }
    return json_response(request.app[STATE_KEY].views().finish(body), 400)


def _proxy_page(status: int, reason: str) -> web.Response:
    """What the reverse proxy in front of the service answers when it cannot reach it."""
    html = (
        f"<html>\r\n<head><title>{status} {reason}</title></head>\r\n<body>\r\n"
        f"<center><h1>{status} {reason}</h1></center>\r\n<hr><center>nginx</center>\r\n"
        "</body>\r\n</html>\r\n"
    )
    return web.Response(status=status, text=html, content_type="text/html")
