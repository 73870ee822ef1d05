"""Building the emulator's HTTP answers, and the key under which the app keeps its state."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from aiohttp import web

if TYPE_CHECKING:
    from .state import EmulatorState

STATE_KEY: web.AppKey[EmulatorState] = web.AppKey("emulator_state")

# The seed's headers, sent with every answer.
SEED_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "X-XSS-Protection": "1; mode=block",
    "Cache-Control": "no-cache, no-store, max-age=0, must-revalidate",
    "Pragma": "no-cache",
    "Expires": "0",
    "X-Frame-Options": "DENY",
}


def json_response(data: Any, status: int = 200) -> web.Response:
    """``Content-Type: application/json`` exactly, as the seed shows it."""
    return json_bytes_response(json.dumps(data, ensure_ascii=False).encode(), status)


def json_bytes_response(body: bytes, status: int = 200) -> web.Response:
    return web.Response(body=body, status=status, content_type="application/json")


def empty_response() -> web.Response:
    """200 with no body and no Content-Type, like the seed's cancel and run answers."""
    return web.Response()


async def add_seed_headers(request: web.Request, response: web.StreamResponse) -> None:
    response.headers.update(SEED_HEADERS)
