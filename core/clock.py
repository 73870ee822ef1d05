"""The process's one "now".

One :class:`Clock` is made at start and handed to everything that reads the time: the
database's timestamps, the poller, the send service and every handler. Whoever needs
another time source (a test whose SMS API emulator runs on an advanceable clock) swaps
``source`` in that one place.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime

from storage.dates import utc_now

Now = Callable[[], datetime]


class Clock:
    def __init__(self, source: Now = utc_now) -> None:
        self.source = source

    def now(self) -> datetime:
        return self.source()
