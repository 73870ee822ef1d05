"""The SMS API v2.8.1 endpoints under /sms-api/."""

from __future__ import annotations

from aiohttp import web

from .dialect_views import DialectViews
from .dialects import CREATE_NO_BODY, MINUTES_ONLY
from .responses import STATE_KEY, empty_response, json_bytes_response, json_response
from .validation import read_dispatch_id, read_new_dispatch, read_path_id
from .views import contacts_json

API_PREFIX = "/sms-api"


def dialect_views(request: web.Request) -> DialectViews:
    """The bodies in the dialects spoken now, with links to where the client came."""
    return request.app[STATE_KEY].views(str(request.url.origin()))


async def list_address_books(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    return json_response(dialect_views(request).address_books(state.address_books()))


async def list_contacts(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    book = state.address_book(read_path_id(request.match_info["id"]))
    if state.dialects:
        return json_response(dialect_views(request).contacts(book))
    if book.contacts_json is None:
        book.contacts_json = contacts_json(book)
    return json_bytes_response(book.contacts_json)


async def get_dispatch(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    dispatch_id = read_path_id(request.match_info["id"])
    return json_response(state.dispatch_body(dispatch_id, dialect_views(request)))


async def create_dispatch(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    minutes_too = MINUTES_ONLY in state.dialects
    new = read_new_dispatch(await request.read(), state.dates, state.clock.now(), minutes_too)
    dispatch_id = state.create_dispatch(new)
    if CREATE_NO_BODY in state.dialects:
        return empty_response()
    return json_response(dialect_views(request).created(dispatch_id))


async def cancel_dispatch(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    state.cancel_dispatch(read_dispatch_id(await request.read()))
    return empty_response()


async def run_dispatch(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    state.run_dispatch(read_dispatch_id(await request.read()))
    return empty_response()


async def get_balance(request: web.Request) -> web.Response:
    state = request.app[STATE_KEY]
    return json_response(state.balance_body(dialect_views(request)))


def add_api_routes(app: web.Application) -> None:
    app.router.add_routes(
        [
            web.get(f"{API_PREFIX}/addressbooks", list_address_books),
            web.get(f"{API_PREFIX}/addressbooks/{{id}}/contacts", list_contacts),
            # The fixed paths go before {id}, which would match them too.
            web.post(f"{API_PREFIX}/dispatches/cancel", cancel_dispatch),
            web.post(f"{API_PREFIX}/dispatches/run", run_dispatch),
            web.post(f"{API_PREFIX}/dispatches", create_dispatch),
            web.get(f"{API_PREFIX}/dispatches/{{id}}", get_dispatch),
            web.get(f"{API_PREFIX}/finance/balance", get_balance),
        ]
    )
