"""Extra HTTP routes that can be added while the server runs (aiohttp's own router is
frozen once it starts): for pages served beside the Bot API, such as a chat page."""

from __future__ import annotations

import re
from collections.abc import Awaitable, Callable, Iterable
from dataclasses import dataclass
from typing import Any

from aiohttp import web

Handler = Callable[[web.Request], Awaitable[web.StreamResponse]]
PLACEHOLDER = re.compile(r"\{(\w+)(?::([^{}]+))?\}")
PARAMS_KEY = web.RequestKey("standin_route_params", dict)


@dataclass(frozen=True)
class ExtraRoute:
    method: str
    pattern: re.Pattern[str]
    handler: Handler


def _compile(path: str) -> re.Pattern[str]:
    """`/chat/{name}` or `/static/{path:.+}` in aiohttp's notation, as a regex."""
    regex, last = "", 0
    for match in PLACEHOLDER.finditer(path):
        regex += re.escape(path[last : match.start()])
        regex += f"(?P<{match.group(1)}>{match.group(2) or '[^/]+'})"
        last = match.end()
    return re.compile(regex + re.escape(path[last:]))


def route_params(request: web.Request) -> dict[str, str]:
    """The placeholders an extra route matched, like `request.match_info` for normal ones."""
    return dict(request.get(PARAMS_KEY, {}))


class RouteRegistry:
    def __init__(self) -> None:
        self._routes: list[ExtraRoute] = []

    def add(self, method: str, path: str, handler: Handler) -> None:
        self._routes.append(ExtraRoute(method.upper(), _compile(path), handler))

    def add_routes(self, routes: Iterable[Any]) -> None:
        """Add aiohttp RouteDefs, e.g. `[web.get("/chat", page)]`."""
        for route in routes:
            self.add(route.method, route.path, route.handler)

    async def handle(self, request: web.Request) -> web.StreamResponse:
        for route in self._routes:
            match = route.pattern.fullmatch(request.path)
            if match and route.method in (request.method, "*"):
                request[PARAMS_KEY] = match.groupdict()
                return await route.handler(request)
        raise web.HTTPNotFound()
