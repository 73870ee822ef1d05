"""The aiohttp application: the SMS API, the control API and what wraps them."""

from __future__ import annotations

from aiohttp import web

from .api import add_api_routes
from .control import add_control_routes
from .login import add_login_routes
from .middlewares import MIDDLEWARES
from .responses import STATE_KEY, add_seed_headers
from .state import EmulatorState

# A create for a 100 000-contact book is a couple of megabytes of JSON.
MAX_REQUEST_BYTES = 64 * 1024 * 1024


def create_app(state: EmulatorState) -> web.Application:
    """An application serving ``/sms-api/...`` and ``/_emulator/...`` over ``state``.

    In the login_redirect dialect it serves ``/login`` too.
    """
    app = web.Application(middlewares=MIDDLEWARES, client_max_size=MAX_REQUEST_BYTES)
    app[STATE_KEY] = state
    add_api_routes(app)
    add_control_routes(app)
    add_login_routes(app)
    app.on_response_prepare.append(add_seed_headers)
    return app
