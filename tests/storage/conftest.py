"""The storage tests' database: a fresh file, on a clock that moves only when told to."""

from __future__ import annotations

from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from storage import Storage
from tests.support.storage import ManualClock


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
async def storage(tmp_path: Path, clock: ManualClock) -> AsyncIterator[Storage]:
    # A low-balance threshold other than the default (100), so that the alert tests can
    # tell the configured one from the built-in one.
    opened = await Storage.open(
        tmp_path / "bot.sqlite3", clock=clock, balance_threshold=Decimal("250.50")
    )
    yield opened
    await opened.close()
