"""The chat page: three static files from the package, and what the page asks first.

GET /                      index.html, with the token of this sandbox's control API
GET /page/{name}           app.js or style.css (nothing else)
GET /_sandbox/config       the people, their group, the bot, the page's language
"""

from __future__ import annotations

from collections.abc import Sequence
from importlib import resources
from typing import Any

from aiohttp import web

from testbed.standin import BotApiStandin, route_params

from .guard import page_with_token
from .people import Group, LiveRoles

ASSETS = {
    "index.html": "text/html",
    "app.js": "text/javascript",
    "style.css": "text/css",
}
# What the page may load and from where: itself only, no inline script, no framing.
SECURITY_HEADERS = {
    "Content-Security-Policy": (
        "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; "
        "connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'self'"
    ),
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


def read_asset(name: str) -> bytes:
    return resources.files(__package__).joinpath("page", name).read_bytes()


def _asset_response(name: str, body: bytes | None = None) -> web.Response:
    content_type = ASSETS[name]
    return web.Response(
        body=read_asset(name) if body is None else body,
        content_type=content_type,
        charset="utf-8",
        headers=SECURITY_HEADERS,
    )


def page_routes(
    standin: BotApiStandin,
    people: LiveRoles,
    language: str,
    token: str,
    groups: Sequence[Group] = (),
) -> list[web.RouteDef]:
    index_html = page_with_token(read_asset("index.html").decode(), token).encode()

    async def index(request: web.Request) -> web.Response:
        return _asset_response("index.html", index_html)

    async def asset(request: web.Request) -> web.Response:
        name = route_params(request)["name"]
        if name not in ASSETS or name == "index.html":
            raise web.HTTPNotFound()
        return _asset_response(name)

    async def config(request: web.Request) -> web.Response:
        body: dict[str, Any] = {
            "bot": standin.state.bot_user,
            "people": [person.view(language) for person in people.people],
            "groups": [group.view(language) for group in groups],
            "language": language,
        }
        return web.json_response(body, headers={"Cache-Control": "no-store"})

    async def roles(request: web.Request) -> web.Response:
        return web.json_response(await people.view(), headers={"Cache-Control": "no-store"})

    return [
        web.get("/", index),
        web.get("/page/{name}", asset),
        web.get("/_sandbox/config", config),
        web.get("/_sandbox/people", roles),
    ]
