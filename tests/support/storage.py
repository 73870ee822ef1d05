"""Helpers shared by the storage tests (no tests here)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

START = datetime(2025, 3, 1, 9, 0, tzinfo=UTC)


class ManualClock:
    """A clock that moves only when told to."""

    def __init__(self, start: datetime = START) -> None:
        self.current = start

    def __call__(self) -> datetime:
        return self.current

    def advance(self, **delta: float) -> datetime:
        self.current += timedelta(**delta)
        return self.current


def damage(path: Path) -> None:
    """Overwrite the middle of the file, past its header, as a failing disk might."""
    data = bytearray(path.read_bytes())
    start = len(data) // 2
    data[start : start + 4096] = b"\xa5" * 4096
    path.write_bytes(bytes(data))
