"""The sandbox answers only the page it served.

The control API (``/_standin/...``, ``/_sandbox/...``) writes as any person, approves
strangers, switches the emulator off: a web page open in the same browser, or one that
rebinds its own name to this address, must not reach it. So every request but the Bot
API's own (which carries the bot token) passes :class:`PageGuard`:

- ``Host`` must be the address the sandbox listens on, or ``localhost`` / ``127.0.0.1`` /
  ``[::1]`` with its port (a name rebound to 127.0.0.1 arrives under its own name); bound
  to every interface, any IP address with the port;
- a control call carries the page's token (``X-Sandbox-Token``), made afresh at each
  start and given only inside the page (a ``<meta>`` the page's script reads), which
  another origin cannot read;
- a state-changing call from a browser comes from the page's own origin, and any POST
  is JSON (``Content-Type: application/json``, else 415): a plain HTML form cannot send
  one.
"""

from __future__ import annotations

import hmac
import ipaddress
import secrets

from aiohttp import web

TOKEN_HEADER = "X-Sandbox-Token"
TOKEN_META = '<meta name="sandbox-token" content="">'
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "[::1]")
ALL_INTERFACES = ("0.0.0.0", "::", "")


def new_token() -> str:
    return secrets.token_urlsafe(24)


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def exposure_warning(host: str) -> str | None:
    """What to print, loudly, when the sandbox is reachable from other machines."""
    if is_loopback(host):
        return None
    return (
        f"WARNING: the sandbox listens on {host or '*'}, beyond this machine. Anyone who "
        "can reach this address can open the chat page, act as its admin, manager and "
        "stranger, and switch the SMS API emulator off. Use it on a trusted network only, "
        "or leave --host at 127.0.0.1."
    )


class PageGuard:
    def __init__(self, token: str, host: str, port: int) -> None:
        self.token = token
        self._any_address = host in ALL_INTERFACES
        bound = f"[{host}]" if ":" in host else host
        names = {bound, *LOOPBACK_NAMES} if not self._any_address else set(LOOPBACK_NAMES)
        self._hosts = {f"{name}:{port}" for name in names}
        if port == 80:  # browsers leave the default port out of Host
            self._hosts |= names
        self._port = port

    async def __call__(self, request: web.Request) -> web.StreamResponse | None:
        """A refusal, or None to serve the request."""
        host = request.headers.get("Host", "")
        if not self._host_allowed(host):
            return _refusal(403, "this sandbox answers only its own address (Host)")
        if _is_page(request.path):
            return None
        given = request.headers.get(TOKEN_HEADER, "")
        if not hmac.compare_digest(given.encode(), self.token.encode()):
            return _refusal(403, f"the page's {TOKEN_HEADER} is missing or wrong")
        if request.method in SAFE_METHODS:
            return None
        origin = request.headers.get("Origin")
        if origin is not None and origin != f"http://{host}":
            return _refusal(403, "only the page itself may change things (Origin)")
        if request.content_type != "application/json":
            return _refusal(415, "the body must be JSON (Content-Type: application/json)")
        return None

    def _host_allowed(self, host: str) -> bool:
        if host.lower() in self._hosts:
            return True
        if not self._any_address:
            return False
        # Bound to every interface: reached by one of the machine's addresses, never by a
        # name (a rebound name is exactly what this refuses).
        address, _, port = host.rpartition(":")
        if port != str(self._port):
            return False
        try:
            ipaddress.ip_address(address.strip("[]"))
        except ValueError:
            return False
        return True


def page_with_token(html: str, token: str) -> str:
    if TOKEN_META not in html:
        raise ValueError("the page has no place for its token")
    return html.replace(TOKEN_META, f'<meta name="sandbox-token" content="{token}">')


def _is_page(path: str) -> bool:
    return path == "/" or path.startswith("/page/")


def _refusal(status: int, reason: str) -> web.Response:
    return web.json_response({"error": reason}, status=status)
