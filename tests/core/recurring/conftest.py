"""The keeper's tests: the real emulator and a real SQLite file, the keeper on the
emulator's clock, and a notifier that only records what it was asked to say."""

from __future__ import annotations

from collections.abc import AsyncIterator, Sequence
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

import pytest

from core.clock import Clock
from core.recurring import RecurringKeeper
from core.sms import SmsApiClient, SmsApiCodeError
from core.watch.delivery import Delivery, Outcome
from storage import Schedule, Storage, User
from testbed.emulator import RunningEmulator
from tests.support.harness import SMS_TOKEN

MOSCOW = ZoneInfo("Europe/Moscow")


class RecordingNotifier:
    def __init__(self) -> None:
        self.said: list[tuple[str, Any]] = []

    def numbers_label(self, owner: User | None, count: int) -> str:
        return f"{count} numbers"

    async def occurrences_missed(self, schedule: Schedule, missed: Sequence[datetime]) -> Delivery:
        return self._say("missed", list(missed))

    async def occurrence_sent_late(
        self, schedule: Schedule, due: datetime, dispatch_id: int | None
    ) -> Delivery:
        return self._say("late", (due, dispatch_id))

    async def occurrence_failed(
        self, schedule: Schedule, due: datetime, error: SmsApiCodeError | None
    ) -> Delivery:
        return self._say("failed", (due, error.code if error else None))

    async def occurrence_above_limits(self, schedule: Schedule, due: datetime) -> Delivery:
        return self._say("above", due)

    async def cancel_settled(
        self, schedule: Schedule, due: datetime, dispatch_id: int | None, cancelled: bool
    ) -> Delivery:
        return self._say("cancel", (due, dispatch_id, cancelled))

    def _say(self, what: str, detail: Any) -> Delivery:
        self.said.append((what, detail))
        return Delivery(Outcome.SENT, 1)

    def kinds(self) -> list[str]:
        return [what for what, _ in self.said]


@pytest.fixture
async def api(emulator: RunningEmulator) -> AsyncIterator[SmsApiClient]:
    async with SmsApiClient(emulator.url, SMS_TOKEN, MOSCOW, backoff=0.01) as client:
        yield client


@pytest.fixture
def notifier() -> RecordingNotifier:
    return RecordingNotifier()


@pytest.fixture
def emulated_clock(emulator: RunningEmulator) -> Clock:
    return Clock(emulator.clock.now)


@pytest.fixture
def keeper(
    store: Storage, api: SmsApiClient, notifier: RecordingNotifier, emulated_clock: Clock
) -> RecurringKeeper:
    """Passes are run by hand (``run_pass``): the task is never started."""
    return RecurringKeeper(
        store=store,
        sms=api,
        notifier=notifier,
        clock=emulated_clock,
        tz=MOSCOW,
        interval=timedelta(seconds=60),
    )
