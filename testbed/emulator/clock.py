"""The emulator's clock: real time scaled by a speed factor, plus manual jumps."""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import UTC, datetime, timedelta


class EmulatorClock:
    """Emulated "now" that tests can advance and demos can speed up.

    ``speed`` scales real time: 1 is real time, 60 turns one real second into an
    emulated minute, 0 freezes the clock so that only :meth:`advance` moves it
    (what deterministic tests want).
    """

    def __init__(
        self,
        start: datetime | None = None,
        speed: float = 1.0,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if start is not None and start.tzinfo is None:
            raise ValueError("the clock's start must be timezone-aware")
        _check_speed(speed)
        self._monotonic = monotonic
        self._origin = (start or datetime.now(UTC)).astimezone(UTC)
        self._real_origin = monotonic()
        self._speed = float(speed)

    @property
    def speed(self) -> float:
        return self._speed

    def now(self) -> datetime:
        """The emulated time, timezone-aware (UTC)."""
        elapsed = (self._monotonic() - self._real_origin) * self._speed
        return self._origin + timedelta(seconds=elapsed)

    def advance(self, seconds: float) -> datetime:
        """Jump forward by ``seconds`` of emulated time; time never goes back."""
        if seconds < 0:
            raise ValueError("the clock cannot go back")
        self._origin += timedelta(seconds=seconds)
        return self.now()

    def set_speed(self, speed: float) -> None:
        """Change the speed from now on, keeping the current emulated time."""
        _check_speed(speed)
        self._origin = self.now()
        self._real_origin = self._monotonic()
        self._speed = float(speed)


def _check_speed(speed: float) -> None:
    if speed < 0:
        raise ValueError("the clock's speed cannot be negative")
