"""Fault injection for the API: slowness, errors, hangs, lost answers, an outage.

Draws come from a seeded ``random.Random``, a fixed number per request, so the same
seed and the same requests give the same faults.
"""

from __future__ import annotations

import asyncio
import contextlib
import math
import random
from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any

ERROR_STATUSES = (500, 502, 503)
_RATES = ("error_rate", "timeout_rate", "lose_create_rate")
_SWITCHES = ("down", "garbage", "echo_url")
_DURATIONS = ("latency_ms", "hang_seconds")


class Fault(StrEnum):
    DOWN = "down"  # 503 for every request
    TIMEOUT = "timeout"  # hold the request for hang_seconds, then drop the connection
    ERROR = "error"  # a 5xx answer
    GARBAGE = "garbage"  # 200 with a body that is not JSON
    LOSE_CREATE = "lose_create"  # create the dispatch, then drop the connection
    ECHO_URL = "echo_url"  # a refusal whose message repeats the URL asked, query and all


@dataclass
class FaultSettings:
    latency_ms: float = 0.0
    error_rate: float = 0.0
    timeout_rate: float = 0.0
    lose_create_rate: float = 0.0
    down: bool = False
    garbage: bool = False
    echo_url: bool = False
    hang_seconds: float = 30.0
    seed: int = 1


@dataclass(frozen=True)
class FaultDecision:
    fault: Fault | None
    error_status: int


class FaultInjector:
    def __init__(self, seed: int = 1) -> None:
        self.settings = FaultSettings(seed=seed)
        self._rng = random.Random(seed)
        self._released = asyncio.Event()

    def update(self, changes: dict[str, Any]) -> FaultSettings:
        """Apply some settings (the others stay); a given ``seed`` restarts the draws."""
        checked = {name: _checked(name, value) for name, value in changes.items()}
        for name, value in checked.items():
            setattr(self.settings, name, value)
        if "seed" in checked:
            self._rng = random.Random(self.settings.seed)
        return self.settings

    def as_dict(self) -> dict[str, Any]:
        return asdict(self.settings)

    async def hang(self) -> None:
        """Hold a request for ``hang_seconds``, or until the emulator stops."""
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self._released.wait(), self.settings.hang_seconds)

    def hold_hangs(self) -> None:
        """Hold requests again (a fresh event, for the loop that serves next)."""
        self._released = asyncio.Event()

    def release_hangs(self) -> None:
        """Let every held request go at once, so that stopping is quick."""
        self._released.set()

    def decide(self, is_create: bool) -> FaultDecision:
        """Which fault, if any, hits this request."""
        s = self.settings
        timeout_draw, error_draw, lose_draw = (self._rng.random() for _ in range(3))
        error_status = self._rng.choice(ERROR_STATUSES)
        fault = None
        if s.down:
            fault = Fault.DOWN
        elif timeout_draw < s.timeout_rate:
            fault = Fault.TIMEOUT
        elif error_draw < s.error_rate:
            fault = Fault.ERROR
        elif s.garbage:
            fault = Fault.GARBAGE
        elif s.echo_url:
            fault = Fault.ECHO_URL
        elif is_create and lose_draw < s.lose_create_rate:
            fault = Fault.LOSE_CREATE
        return FaultDecision(fault, error_status)


def _checked(name: str, value: Any) -> Any:
    known = {field.name for field in fields(FaultSettings)}
    if name not in known:
        raise ValueError(f"unknown fault setting {name!r}; known: {sorted(known)}")
    if name in _SWITCHES:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be true or false")
        return value
    if name == "seed":
        if isinstance(value, bool) or not isinstance(value, int):
            raise ValueError("seed must be an integer")
        return value
    if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number")
    if name in _RATES and not 0 <= value <= 1:
        raise ValueError(f"{name} must lie between 0 and 1")
    if name in _DURATIONS and value < 0:
        raise ValueError(f"{name} cannot be negative")
    return float(value)
