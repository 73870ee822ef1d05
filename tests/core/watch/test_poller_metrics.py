"""What the poller leaves for /readyz and /metrics after each cycle: the last cycle's
report and when it ended, and the cycles counted by result and timed."""

from __future__ import annotations

from collections.abc import AsyncIterator
from datetime import timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.clock import Clock
from core.metrics import Metrics
from core.sms import SmsApiClient
from core.watch import Poller
from storage import Storage
from testbed.emulator import RunningEmulator
from tests.support.harness import SMS_TOKEN

MOSCOW = ZoneInfo("Europe/Moscow")


class NobodyToTell:
    """A messenger for a database without users: the poller never has to call it."""

    def __getattr__(self, name: str) -> Any:
        raise AssertionError(f"the poller told someone something: {name}")


@pytest.fixture
async def sms_once(emulator: RunningEmulator) -> AsyncIterator[SmsApiClient]:
    """A client that tries each GET once: a cycle fails as soon as the API is down."""
    async with SmsApiClient(emulator.url, SMS_TOKEN, MOSCOW, backoff=0.01, get_attempts=1) as c:
        yield c


def poller(store: Storage, sms: SmsApiClient, metrics: Metrics) -> Poller:
    return Poller(
        store=store,
        sms=sms,
        messenger=NobodyToTell(),  # type: ignore[arg-type]
        clock=Clock(),
        interval=timedelta(seconds=0.05),
        tz=MOSCOW,
        metrics=metrics,
    )


def sample(metrics: Metrics, name: str, **labels: str) -> float:
    return metrics.registry.get_sample_value(f"phoenix_{name}", labels) or 0.0


async def test_a_good_then_a_failed_cycle_are_kept_and_counted(
    store: Storage, sms_once: SmsApiClient, emulator: RunningEmulator
) -> None:
    metrics = Metrics()
    watching = poller(store, sms_once, metrics)
    assert watching.last_cycle is None
    watching.start()
    try:
        await watching.wait_for_cycles(1)
        good = watching.last_cycle
        emulator.state.faults.update({"down": True})
        await watching.wait_for_cycles(2)  # the one under way may have begun before
        failed = watching.last_cycle
    finally:
        await watching.stop()

    assert good is not None and good.report.api_ok and good.report.failure is None
    assert failed is not None and not failed.report.api_ok
    assert failed.report.failure is not None and "HTTP 503" in failed.report.failure
    assert SMS_TOKEN not in failed.report.failure
    assert failed.finished_at > good.finished_at
    assert sample(metrics, "poller_cycles_total", result="ok") >= 1
    assert sample(metrics, "poller_cycles_total", result="failed") >= 1
    total = sample(metrics, "poller_cycles_total", result="ok") + sample(
        metrics, "poller_cycles_total", result="failed"
    )
    assert sample(metrics, "poller_cycle_seconds_count") == total


async def test_a_cycle_that_raises_is_an_error_not_an_outage(
    store: Storage, sms_once: SmsApiClient, monkeypatch: pytest.MonkeyPatch
) -> None:
    metrics = Metrics()
    watching = poller(store, sms_once, metrics)

    async def broken() -> None:
        raise RuntimeError("a bug")

    monkeypatch.setattr(watching, "run_cycle", broken)
    watching.start()
    try:
        await watching.wait_for_cycles(1)
    finally:
        await watching.stop()

    assert watching.last_cycle is not None
    assert watching.last_cycle.report.failure == "the cycle failed (RuntimeError)"
    assert sample(metrics, "poller_cycles_total", result="error") >= 1
    assert sample(metrics, "poller_cycles_total", result="ok") == 0
