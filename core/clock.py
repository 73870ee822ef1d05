"""The notifier's "now"."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime

Now = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


class NotifyClock:
    """Real time by default. One object is shared by the poller and the /alerts handlers
    (mutes are set by one and read by the other), so whoever needs another time source,
    such as a test whose SMS API emulator runs on an advanceable clock, swaps ``source``
    in one place."""

    def __init__(self, source: Now = utc_now) -> None:
        self.source = source

    def now(self) -> datetime:
        return self.source()
