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
  ``delivery_rate``, ``seed``, ...).
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

Control API (same ``?token=``), JSON:

- ``GET /_emulator/state``: clock, balance, every dispatch with its status, books, faults.
- ``POST /_emulator/clock/advance`` ``{"seconds": N}``.
- ``POST /_emulator/balance`` ``{"set": X}`` or ``{"add": X}`` (a top-up, counted in
  ``currentPayments``); ``{"creditLimit": {"limit", "dateStart", "dateEnd"} | null}``.
- ``POST /_emulator/dispatches/{id}/advance``: the dispatch's next status, now.
- ``POST /_emulator/books`` ``{"name": ..., "size": N}``: a book of N distinct numbers.
- ``POST /_emulator/access`` ``{"blocked": true}``: the API answers 401, as for a
  user blocked by the operator.
- ``GET /_emulator/requests``, ``POST /_emulator/requests/clear``: the API request log
  (method, path, query without the token, JSON body, status, fault).
- ``GET``/``POST /_emulator/faults``: ``latency_ms``, ``error_rate`` (500/502/503),
  ``timeout_rate`` (hold ``hang_seconds``, then drop), ``lose_create_rate`` (create,
  then drop), ``down`` (503), ``garbage`` (200, not JSON), ``seed``. Faults hit
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
