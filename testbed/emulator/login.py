"""Spring Security's form login, for the login_redirect dialect.

A server with Spring Security's defaults does not answer an unauthenticated API request
with 401: it saves the request in a new session and redirects the client to its login
page, which is an HTML form.
"""

from __future__ import annotations

from aiohttp import web

from .dialects import LOGIN_REDIRECT
from .responses import STATE_KEY

LOGIN_PATH = "/login"
SESSION_COOKIE = "JSESSIONID"

_LOGIN_PAGE = """<!DOCTYPE html>
<html lang="en">
  <head>
    <meta charset="utf-8">
    <title>Please sign in</title>
  </head>
  <body>
    <div class="container">
      <form class="form-signin" method="post" action="/login">
        <h2 class="form-signin-heading">Please sign in</h2>
        <p>
          <label for="username" class="sr-only">Username</label>
          <input type="text" id="username" name="username" required autofocus>
        </p>
        <p>
          <label for="password" class="sr-only">Password</label>
          <input type="password" id="password" name="password" required>
        </p>
        <button class="btn btn-lg btn-primary btn-block" type="submit">Sign in</button>
      </form>
    </div>
  </body>
</html>
"""


def login_redirect(request: web.Request) -> web.Response:
    """``302 Found`` to this server's ``/login``, with no body, in a new session."""
    state = request.app[STATE_KEY]
    response = web.Response(status=302, headers={"Location": f"{request.url.origin()}{LOGIN_PATH}"})
    response.set_cookie(SESSION_COOKIE, state.new_session_id(), path="/", httponly=True)
    return response


async def login_page(request: web.Request) -> web.Response:
    """The login form; a sign-in posted to it fails (the emulator has no users).

    Without the login_redirect dialect there is no such page.
    """
    if LOGIN_REDIRECT not in request.app[STATE_KEY].dialects:
        raise web.HTTPNotFound()
    if request.method == "POST":
        return web.Response(
            status=302, headers={"Location": f"{request.url.origin()}{LOGIN_PATH}?error"}
        )
    if request.method not in ("GET", "HEAD"):
        raise web.HTTPMethodNotAllowed(request.method, ["GET", "POST"])
    return web.Response(
        body=_LOGIN_PAGE.encode(), headers={"Content-Type": "text/html;charset=UTF-8"}
    )


def add_login_routes(app: web.Application) -> None:
    # Every method, so that without the dialect each one finds no page, as before.
    app.router.add_route("*", LOGIN_PATH, login_page)
