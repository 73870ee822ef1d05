"""A faithful emulator of the Phoenix client SMS API v2.8.1, for tests, benchmarks and demos.

Run it: ``python -m testbed.emulator --port 7890 --token TOKEN`` (see ``--help``).

Python API::

    from testbed.emulator import (
        EmulatorConfig, EmulatorState, EmulatorClock, create_app, start_emulator,
    )

    emulator = await start_emulator(port=0, token="test-token", speed=0)
    emulator.url        # "http://127.0.0.1:PORT"; the API is at f"{emulator.url}/sms-api/..."
    emulator.state      # EmulatorState: books, dispatches, wallet, faults, request log
    emulator.clock      # EmulatorClock: now(), advance(seconds)
    await emulator.stop()   # or: async with await start_emulator() as emulator: ...

- ``start_emulator(host="127.0.0.1", port=0, token="test-token", **config)
  -> RunningEmulator``: ``config`` is any field of :class:`EmulatorConfig`
  (``timezone``, ``speed``, ``start``, ``data_path``, ``price_per_sms``,
  ``tariffing_seconds``, ``sending_seconds``, ``close_after_seconds``,
  ``delivery_rate``, ``seed``, ``dialects``, ...).
- ``create_app(state: EmulatorState) -> aiohttp.web.Application`` for aiohttp's own
  test server; ``EmulatorState(config=None, clock=None)``.
- ``EmulatorClock(start=None, speed=1.0)``: ``now()`` (aware), ``advance(seconds)``;
  ``speed=0`` freezes it so that only ``advance`` moves time (deterministic tests),
  ``speed=60`` makes a real second an emulated minute.

Dispatches move by the clock: IN_QUEUE until ``dateSend``; TARIFFING for
``tariffing_seconds`` (then NOT_ENOUGH_MONEY if balance plus a credit in force does not
cover segments x phones x ``price_per_sms``, else the cost is charged); ACTIVE for
``sending_seconds`` while ``messagesSent`` grows; DELIVERING while ``messagesDelivered``
grows; CLOSED at ``dateToClose = dateSend + close_after_seconds``. Cancel works from
IN_QUEUE, NOT_ENOUGH_MONEY and ACTIVE (the unsent part is refunded), a re-run from
CANCELED and NOT_ENOUGH_MONEY. Dispatches from the data file are historical: the clock
never moves them.

Dialects make ``/sms-api`` answer the way a real Spring server might where it departs
from the reference. None by default; any of them combine; an unknown name is refused with
a ValueError listing the known ones (:mod:`testbed.emulator.dialects` holds the names).
Choose them with ``start_emulator(dialects=[...])`` (``EmulatorConfig.dialects``),
``--dialect NAME`` on the command line (repeatable), or at run time with
``EmulatorState.set_dialects(names)`` or the control API; ``EmulatorState.dialects`` are
the ones spoken now.

- ``seconds_everywhere``: the credit limit's ``dateStart``/``dateEnd`` are
  ``dd.MM.yyyy HH:mm:ss`` (``"01.12.2026 00:00:00"``).
- ``minutes_only``: a dispatch's ``dateSend``/``dateToClose`` are ``dd.MM.yyyy HH:mm``; a
  create's ``dateSend`` may have seconds or not (without, the current minute is not past).
- ``empty_objects``: an absent credit limit is ``{}``, not ``null``.
- ``strings_for_numbers``: every number is a JSON string (``"42.00"``, ``"idDispatch": "3"``,
  the create's ``"3"``, an error's ``"status": "404"``).
- ``create_no_body``: a successful create is ``200`` with no body and no Content-Type.
- ``login_redirect``: a wrong or missing token, or a blocked user, gets ``302`` to
  ``<origin>/login`` with no body and a ``JSESSIONID`` cookie; ``GET /login`` is an HTML
  form (``text/html;charset=UTF-8``), a sign-in posted to it goes to ``/login?error``.
- ``spring_errors``: refusals carry ``{"timestamp", "status", "error", "path"}`` (the
  emulator's now, ISO-8601 with offset; the reason phrase) instead of ``{"code", "message"}``.
- ``extra_fields``: fields the reference does not list: a book has ``createdBy``,
  ``version`` and ``_links`` (``self``, ``contacts``), a contact ``createdBy`` and
  ``version``, a dispatch ``createdBy`` (``"api"`` or ``"web"``), ``version`` and
  ``_links.self``, the balance ``currency`` and ``_links.self``, the credit limit
  ``createdBy`` and ``version``.
- ``unknown_status``: a dispatch being tariffed reports ``MODERATION``, not ``TARIFFING``.
- ``nulls``: the data file's dispatches (made in the web interface) have ``null``
  ``comment``, ``text`` and ``dispatchSource``; ``messagesSent``/``messagesDelivered`` are
  ``null`` while IN_QUEUE; a contact without a comment has no ``comment`` key.
- ``odd_contacts``: each contacts list also has rows whose ``phone`` is ``null``, the
  number ``380711112233`` and ``"n/a"`` (a third of the way, two thirds, at the end).

The control API keeps its own shapes whatever the dialects.

Control API (same ``?token=``), JSON:

- ``GET /_emulator/state``: clock, balance, every dispatch with its status, books, faults,
  the dialects spoken.
- ``GET``/``POST /_emulator/dialects`` ``{"dialects": [...]}``: the dialects spoken (and
  every known one with its meaning); a POST replaces them at once (``[]`` for none; 400
  for an unknown name or a non-list).
- ``POST /_emulator/clock/advance`` ``{"seconds": N}``.
- ``POST /_emulator/balance`` ``{"set": X}`` or ``{"add": X}`` (a top-up, counted in
  ``currentPayments``); ``{"creditLimit": {"limit", "dateStart", "dateEnd"} | null}``.
- ``POST /_emulator/dispatches/{id}/advance``: the dispatch's next status, now.
- ``POST /_emulator/books`` ``{"name": ..., "size": N}``: a book of N distinct numbers.
- ``POST /_emulator/access`` ``{"blocked": true}``: the API answers 401 (302 in the
  ``login_redirect`` dialect), as for a user blocked by the operator.
- ``GET /_emulator/requests``, ``POST /_emulator/requests/clear``: the API request log
  (method, path, query without the token, JSON body, status, fault).
- ``GET``/``POST /_emulator/faults``: ``latency_ms``, ``error_rate`` (500/502/503),
  ``timeout_rate`` (hold ``hang_seconds``, then drop), ``lose_create_rate`` (create,
  then drop), ``down`` (503), ``garbage`` (the request is served, its 2xx answer replaced
  by a body that is not JSON), ``seed``. Faults hit
  ``/sms-api`` only.
"""

from .app import create_app
from .clock import EmulatorClock
from .config import EmulatorConfig
from .server import RunningEmulator, serve, start_emulator
from .state import EmulatorState

__all__ = [
    "EmulatorClock",
    "EmulatorConfig",
    "EmulatorState",
    "RunningEmulator",
    "create_app",
    "serve",
    "start_emulator",
]
