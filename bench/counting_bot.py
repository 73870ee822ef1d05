"""``python -m bot`` with every trip to SQLite's thread counted: aiosqlite's
``Connection._execute`` is the one door every statement, commit and fetch goes through.
The running total is written to ``TRIPS_FILE`` after each trip, for ``bench.round_trips``
to read between the steps of a conversation. Measuring only: never the product's entry."""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

import aiosqlite

from bot.__main__ import main


def count_trips_into(path: Path) -> None:
    original = aiosqlite.Connection._execute
    total = 0

    async def counting(self: aiosqlite.Connection, fn: Any, *args: Any, **kwargs: Any) -> Any:
        nonlocal total
        total += 1
        path.write_text(str(total))  # noqa: ASYNC240 - a few bytes a trip, measuring only
        return await original(self, fn, *args, **kwargs)

    aiosqlite.Connection._execute = counting  # type: ignore[method-assign]


if __name__ == "__main__":
    count_trips_into(Path(os.environ["TRIPS_FILE"]))
    main([])
