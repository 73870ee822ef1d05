"""The control API under /_emulator/: what tests, benchmarks and a side panel drive."""

from __future__ import annotations

import json
import math
from decimal import Decimal, InvalidOperation
from typing import Any

from aiohttp import web

from .dates import ApiDates
from .dialects import DIALECTS
from .errors import ApiError
from .lifecycle import NoNextStatus
from .models import CreditLimit
from .responses import STATE_KEY, json_response
from .validation import read_path_id
from .views import balance_view

CONTROL_PREFIX = "/_emulator"


async def get_state(request: web.Request) -> web.Response:
    return json_response(request.app[STATE_KEY].snapshot())


async def advance_clock(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    seconds = _number(await _body(request), "seconds")
    if seconds < 0:
        raise _bad_request("seconds cannot be negative: the clock does not go back")
    now = state.advance_clock(seconds)
    return json_response({"clock": state.dates.format_datetime(now)})


async def change_balance(request: web.Request) -> web.Response:
    """``{"set": X}`` or ``{"add": X}``, and/or ``{"creditLimit": {...} | null}``."""
    state = request.app[STATE_KEY]
    body = await _body(request)
    if not body.keys() & {"set", "add", "creditLimit"}:
        raise _bad_request('expected "set", "add" or "creditLimit"')
    # Check everything before changing anything.
    credit = _credit_limit(body["creditLimit"], state.dates) if "creditLimit" in body else None
    new_balance = _money(body, "set") if "set" in body else None
    top_up = _money(body, "add") if "add" in body else None
    if "creditLimit" in body:
        state.set_credit_limit(credit)
    if new_balance is not None:
        state.set_balance(new_balance)
    if top_up is not None:
        state.add_balance(top_up)
    return json_response(balance_view(state.wallet, state.dates))


async def advance_dispatch(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    dispatch_id = read_path_id(request.match_info["id"])
    try:
        return json_response(state.hurry_dispatch(dispatch_id))
    except NoNextStatus as final:
        status = final.args[0]
        raise ApiError(
            409, "NO_NEXT_STATUS", f"dispatch {dispatch_id} is {status} and has no next status"
        ) from None


async def add_book(request: web.Request) -> web.Response:
    """Generate a book of ``size`` distinct valid numbers."""
    state = request.app[STATE_KEY]
    body = await _body(request)
    name, size = body.get("name"), body.get("size")
    if not isinstance(name, str) or not name:
        raise _bad_request("name must be a non-empty string")
    limit = state.config.max_book_size
    if isinstance(size, bool) or not isinstance(size, int) or not 0 <= size <= limit:
        raise _bad_request(f"size must be an integer from 0 to {limit}")
    book = state.add_book(name, size)
    return json_response({"id": book.id, "name": book.name, "size": len(book.contacts)})


async def set_access(request: web.Request) -> web.Response:
    """``{"blocked": true}`` makes the API answer 401 (or send to the login page in the
    login_redirect dialect), as for a user the operator blocked."""
    state = request.app[STATE_KEY]
    blocked = (await _body(request)).get("blocked")
    if not isinstance(blocked, bool):
        raise _bad_request("blocked must be true or false")
    state.blocked = blocked
    return json_response({"blocked": state.blocked})


async def get_requests(request: web.Request) -> web.Response:
    return json_response(request.app[STATE_KEY].requests.entries())


async def clear_requests(request: web.Request) -> web.Response:
    request.app[STATE_KEY].requests.clear()
    return json_response({"cleared": True})


async def get_faults(request: web.Request) -> web.Response:
    return json_response(request.app[STATE_KEY].faults.as_dict())


async def set_faults(request: web.Request) -> web.Response:
    faults = request.app[STATE_KEY].faults
    try:
        faults.update(await _body(request))
    except ValueError as error:
        raise _bad_request(str(error)) from None
    return json_response(faults.as_dict())


async def get_dialects(request: web.Request) -> web.Response:
    return json_response(_dialects_view(request.app[STATE_KEY].dialects))


async def set_dialects(request: web.Request) -> web.Response:
    """``{"dialects": [...]}``: speak exactly these from now on (``[]`` for none)."""
    state = request.app[STATE_KEY]
    names = (await _body(request)).get("dialects")
    if not isinstance(names, list):
        raise _bad_request("dialects must be a list of names, [] for none")
    try:
        state.set_dialects(names)
    except ValueError as error:
        raise _bad_request(str(error)) from None
    return json_response(_dialects_view(state.dialects))


def add_control_routes(app: web.Application) -> None:
    p = CONTROL_PREFIX
    app.router.add_routes(
        [
            web.get(f"{p}/state", get_state),
            web.post(f"{p}/clock/advance", advance_clock),
            web.post(f"{p}/balance", change_balance),
            web.post(f"{p}/dispatches/{{id}}/advance", advance_dispatch),
            web.post(f"{p}/books", add_book),
            web.post(f"{p}/access", set_access),
            web.get(f"{p}/requests", get_requests),
            web.post(f"{p}/requests/clear", clear_requests),
            web.get(f"{p}/faults", get_faults),
            web.post(f"{p}/faults", set_faults),
            web.get(f"{p}/dialects", get_dialects),
            web.post(f"{p}/dialects", set_dialects),
        ]
    )


def _dialects_view(active: frozenset[str]) -> dict[str, Any]:
    return {"dialects": sorted(active), "known": DIALECTS}


def _bad_request(message: str) -> ApiError:
    return ApiError(400, "BAD_REQUEST", message)


async def _body(request: web.Request) -> dict[str, Any]:
    raw = await request.read()
    try:
        body = json.loads(raw or b"{}")
    except ValueError:
        raise _bad_request("the body must be JSON") from None
    if not isinstance(body, dict):
        raise _bad_request("the body must be a JSON object")
    return body


def _number(body: dict[str, Any], name: str) -> float:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise _bad_request(f"{name} must be a finite number")
    return float(value)


def _money(body: dict[str, Any], name: str) -> Decimal:
    value = body.get(name)
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise _bad_request(f"{name} must be a number")
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        raise _bad_request(f"{name} must be a number") from None
    if not amount.is_finite():
        raise _bad_request(f"{name} must be a finite number")
    return amount


def _credit_limit(value: Any, dates: ApiDates) -> CreditLimit | None:
    if value is None:
        return None
    if not isinstance(value, dict):
        raise _bad_request("creditLimit must be an object or null")
    try:
        return CreditLimit(
            limit=_money(value, "limit"),
            date_start=dates.parse_date(value["dateStart"]) if value.get("dateStart") else None,
            date_end=dates.parse_date(value["dateEnd"]) if value.get("dateEnd") else None,
        )
    except (TypeError, ValueError):
        raise _bad_request("creditLimit dates must be dd.MM.yyyy") from None
