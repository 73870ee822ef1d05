"""What the keeper needs said to a schedule's owner; the Telegram layer words it
(``handlers/recurring/notices.py``) and delivers it through the outbox."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Protocol

from core.sms import SmsApiCodeError
from core.watch.delivery import Delivery
from storage import Schedule, User


class RecurringNotifier(Protocol):
    def numbers_label(self, owner: User | None, count: int) -> str:
        """Typed recipients named for the dispatch list ("12 numbers"), in the owner's
        language."""

    async def occurrences_missed(self, schedule: Schedule, missed: Sequence[datetime]) -> Delivery:
        """Occurrences whose moment came before they were created: not sent."""

    async def occurrence_sent_late(
        self, schedule: Schedule, due: datetime, dispatch_id: int | None
    ) -> Delivery:
        """A missed occurrence sent now, as the schedule allows."""

    async def occurrence_failed(
        self, schedule: Schedule, due: datetime, error: SmsApiCodeError | None
    ) -> Delivery:
        """The service refused the occurrence (None: the book has no valid number)."""

    async def occurrence_above_limits(self, schedule: Schedule, due: datetime) -> Delivery:
        """A manager's occurrence above the admins' approval limits: not created."""

    async def cancel_settled(
        self, schedule: Schedule, due: datetime, dispatch_id: int | None, cancelled: bool
    ) -> Delivery:
        """A cancel the bot kept trying: done, or too late (the dispatch went out)."""
