"""Reading the query string of the sandbox's own endpoints: 400 with a reason, no traceback."""

from __future__ import annotations

import math

from aiohttp import web


def wait_seconds(request: web.Request, limit: float) -> float:
    """`?wait=S` for a long poll, capped at `limit` (also its default)."""
    raw = request.query.get("wait", str(limit))
    try:
        seconds = float(raw)
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds < 0:
        raise web.HTTPBadRequest(text="wait must be a number of seconds")
    return min(seconds, limit)


def integer(raw: str, name: str) -> int:
    try:
        return int(raw)
    except ValueError:
        raise web.HTTPBadRequest(text=f"{name} must be an integer") from None
