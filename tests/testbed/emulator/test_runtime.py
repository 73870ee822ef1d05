"""The emulator's clock, SMS segment count, configuration, data files and command line."""

from __future__ import annotations

import asyncio
import json
import os
import signal
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest
from aiohttp.test_utils import TestClient, TestServer

from testbed.emulator import EmulatorClock, EmulatorConfig, EmulatorState, create_app
from testbed.emulator.segments import count_segments
from testbed.emulator.validation import NewDispatch
from tests.support.emulator_api import START, TOKEN, start_test_emulator
from tests.support.paths import ROOT


class FakeMonotonic:
    def __init__(self) -> None:
        self.value = 100.0

    def __call__(self) -> float:
        return self.value


def test_a_frozen_clock_moves_only_when_advanced() -> None:
    real = FakeMonotonic()
    clock = EmulatorClock(start=START, speed=0, monotonic=real)

    real.value += 1000
    assert clock.now() == START
    clock.advance(90)
    assert clock.now() == START + timedelta(seconds=90)


def test_speed_scales_real_time() -> None:
    real = FakeMonotonic()
    clock = EmulatorClock(start=START, speed=60, monotonic=real)

    real.value += 2
    assert clock.now() == START + timedelta(minutes=2)
    clock.set_speed(1)
    real.value += 2
    assert clock.now() == START + timedelta(minutes=2, seconds=2)


def test_the_clock_refuses_to_go_back_or_start_naive() -> None:
    with pytest.raises(ValueError):
        EmulatorClock(start=START).advance(-1)
    with pytest.raises(ValueError):
        EmulatorClock(start=datetime(2030, 1, 1))  # naive
    with pytest.raises(ValueError):
        EmulatorClock(speed=-1)


def test_a_default_clock_starts_at_the_real_time() -> None:
    before = datetime.now(UTC)
    now = EmulatorClock().now()
    assert before <= now <= datetime.now(UTC) + timedelta(seconds=1)


@pytest.mark.parametrize(
    ("text", "segments"),
    [
        ("", 1),
        ("a" * 160, 1),
        ("a" * 161, 2),
        ("€" * 80, 1),
        ("€" * 81, 2),
        ("a" * 159 + "ж", 3),  # one Cyrillic letter makes the whole text UCS-2
        ("ж" * 70, 1),
        ("ж" * 71, 2),
        ("😀" * 35, 1),  # two UTF-16 units each
        ("😀" * 36, 2),
    ],
)
def test_segments(text: str, segments: int) -> None:
    assert count_segments(text) == segments


@pytest.mark.parametrize(
    "settings",
    [
        {"timezone": "Mars/Olympus_Mons"},
        {"token": ""},
        {"tariffing_seconds": 10, "sending_seconds": 10, "close_after_seconds": 15},
        {"delivery_rate": 1.5},
        {"price_per_sms": -1},
    ],
)
def test_inconsistent_settings_are_refused(settings: dict) -> None:
    with pytest.raises((ValueError, KeyError)):
        EmulatorConfig(**settings)


def test_a_data_file_replaces_the_default_data(tmp_path: Path) -> None:
    data = {
        "addressBooks": [{"id": 7, "name": "Только эта", "contacts": [{"phone": "711234567"}]}],
        "dispatches": [
            {
                "idDispatch": 40,
                "dateSend": "05.05.2025 10:00:00",
                "dateToClose": "05.05.2025 11:00:00",
                "status": "CLOSED",
                "messagesCount": 2,
                "messagesSent": 2,
                "messagesDelivered": 1,
                "comment": None,
                "text": "Старая",
                "dispatchSource": "WEB",
                "phonesList": ["711234567", "380711234567"],
            }
        ],
        "balance": {"balance": 5, "creditLimit": None},
    }
    path = tmp_path / "data.json"
    path.write_text(json.dumps(data, ensure_ascii=False), "utf-8")

    state = EmulatorState(EmulatorConfig(data_path=path, start=START, speed=0))

    assert [book.name for book in state.address_books()] == ["Только эта"]
    assert state.dispatch_body(40)["dispatchSource"] == "WEB"
    assert state.dispatch_body(40)["messagesDelivered"] == 1
    assert state.balance_body()["balance"] == 5.0
    assert state.balance_body()["creditLimit"] is None
    assert state.create_dispatch(NewDispatch("Новая", ["711234567"], None)) == 41


async def test_create_app_runs_under_aiohttp_test_server() -> None:
    state = EmulatorState(EmulatorConfig(token=TOKEN, start=START, speed=0))
    async with TestClient(TestServer(create_app(state))) as client:
        response = await client.get("/sms-api/finance/balance", params={"token": TOKEN})
        assert response.status == 200
        assert (await response.json())["balance"] == 42.0


async def test_stopping_releases_requests_held_by_a_timeout_fault() -> None:
    emulator = await start_test_emulator()
    emulator.state.faults.update({"timeout_rate": 1.0, "hang_seconds": 60})
    async with httpx.AsyncClient(base_url=emulator.url, params={"token": TOKEN}) as client:
        held = asyncio.create_task(client.get("/sms-api/addressbooks"))
        await asyncio.sleep(0.1)

        loop = asyncio.get_running_loop()
        began = loop.time()
        await emulator.stop()
        stopped_in = loop.time() - began
        with pytest.raises(httpx.TransportError):
            await held

    assert stopped_in < 0.5


async def read_url(process: asyncio.subprocess.Process) -> str:
    assert process.stdout is not None
    line = (await asyncio.wait_for(process.stdout.readline(), timeout=30)).decode()
    assert "http://127.0.0.1:" in line, line
    return line.split()[-1]


@pytest.mark.slow
@pytest.mark.parametrize("stop_signal", [signal.SIGTERM, signal.SIGINT])
async def test_command_line_serves_stops_cleanly_and_never_logs_the_token(
    stop_signal: signal.Signals, tmp_path: Path
) -> None:
    secret = "cli-secret-7f3a"
    data = tmp_path / "data.json"
    data.write_text(
        json.dumps(
            {"addressBooks": [{"id": 5, "name": "CLI", "contacts": []}], "balance": {"balance": 1}}
        ),
        "utf-8",
    )
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SMS_API_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "testbed.emulator",
        "--host", "127.0.0.1", "--port", "0", "--token", secret,
        "--speed", "60", "--timezone", "Europe/Moscow", "--data", str(data),
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    try:
        url = await read_url(process)
        async with httpx.AsyncClient(base_url=url, params={"token": secret}) as client:
            books = await client.get("/sms-api/addressbooks")
            refused = await client.get("/sms-api/addressbooks", params={"token": "nope"})
        process.send_signal(stop_signal)
        stdout, stderr = await asyncio.wait_for(process.communicate(), timeout=10)
    finally:
        if process.returncode is None:
            process.kill()
            await process.wait()

    assert books.json() == [{"id": 5, "name": "CLI"}]
    assert refused.status_code == 401
    assert process.returncode == 0
    assert "/sms-api/addressbooks" in stderr.decode()  # the access log is there...
    assert secret not in (stdout + stderr).decode()  # ...without the token
    assert "Traceback" not in stderr.decode()


@pytest.mark.slow
async def test_command_line_without_a_token_stops_with_a_clear_line() -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    env.pop("SMS_API_TOKEN", None)
    process = await asyncio.create_subprocess_exec(
        sys.executable, "-m", "testbed.emulator", "--port", "0",
        stdout=asyncio.subprocess.PIPE,
        stderr=asyncio.subprocess.PIPE,
        cwd=ROOT,
        env=env,
    )  # fmt: skip
    _, stderr = await asyncio.wait_for(process.communicate(), timeout=30)

    assert process.returncode == 2
    assert "--token" in stderr.decode()
