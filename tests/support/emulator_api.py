"""The SMS API emulator as its tests drive it: a frozen-clock emulator on 127.0.0.1, and
requests to its API and control API.

The fixtures (``emulator``, ``api``) are in tests/testbed/emulator/conftest.py.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import httpx

from testbed.emulator import RunningEmulator, start_emulator

TOKEN = "test-token"
# 09:00:00 in Moscow; the seed's 2019 credit limit is long over by then.
START = datetime(2030, 1, 10, 6, 0, tzinfo=UTC)
START_TEXT = "10.01.2030 09:00:00"
TIMINGS: dict[str, Any] = {
    "tariffing_seconds": 5,
    "sending_seconds": 60,
    "close_after_seconds": 300,
}
SEED_HEADERS = {
    "x-content-type-options": "nosniff",
    "x-xss-protection": "1; mode=block",
    "cache-control": "no-cache, no-store, max-age=0, must-revalidate",
    "pragma": "no-cache",
    "expires": "0",
    "x-frame-options": "DENY",
}


async def start_test_emulator(**config: Any) -> RunningEmulator:
    """An emulator whose clock only moves when a test advances it."""
    settings = {"token": TOKEN, "speed": 0, "start": START, **TIMINGS, **config}
    return await start_emulator(**settings)


async def create_dispatch(api: httpx.AsyncClient, phones: list[str], **fields: Any) -> int:
    body = {"message": "Тест", "phonesList": phones, **fields}
    response = await api.post("/sms-api/dispatches", json=body)
    assert response.status_code == 200, response.text
    return response.json()


async def dispatch(api: httpx.AsyncClient, dispatch_id: int) -> dict[str, Any]:
    response = await api.get(f"/sms-api/dispatches/{dispatch_id}")
    assert response.status_code == 200, response.text
    return response.json()


async def balance(api: httpx.AsyncClient) -> float:
    response = await api.get("/sms-api/finance/balance")
    assert response.status_code == 200, response.text
    return response.json()["balance"]


async def advance(api: httpx.AsyncClient, seconds: float) -> None:
    response = await api.post("/_emulator/clock/advance", json={"seconds": seconds})
    assert response.status_code == 200, response.text


async def set_balance(api: httpx.AsyncClient, **change: Any) -> dict[str, Any]:
    response = await api.post("/_emulator/balance", json=change)
    assert response.status_code == 200, response.text
    return response.json()


def phones(count: int, first: int = 1000000) -> list[str]:
    """``count`` distinct valid numbers."""
    return [f"38071{first + i:07d}" for i in range(count)]
