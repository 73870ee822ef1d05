"""The low-balance rule.

What can still be spent is the balance plus the credit limit while today (in the API's
time zone) lies within the credit's dates; an expired credit does not count. Each
subscriber has their own threshold. An alert goes out once when that amount falls below
it; none while it stays below; and the alert is armed again once the amount is back at
or above the threshold, so the next fall alerts again. The armed state is stored, so a
restart neither repeats nor swallows an alert. A muted person is not alerted and stays
armed: if the balance is still low when the mute ends, they hear then.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import date, datetime
from zoneinfo import ZoneInfo

from core.sms import Balance
from core.watch.audience import Audience, Recipient
from core.watch.delivery import Outcome
from core.watch.messenger import Messenger
from storage import Storage

log = logging.getLogger(__name__)


class BalanceWatch:
    def __init__(self, store: Storage, messenger: Messenger, tz: ZoneInfo) -> None:
        self._store = store
        self._messenger = messenger
        self._tz = tz

    async def check(self, balance: Balance, audience: Audience, now: datetime) -> int:
        """Alert whoever's threshold the available amount crossed downwards; re-arm whoever's
        it is back above. Returns how many alerts were delivered."""
        today = now.astimezone(self._tz).date()
        results = await asyncio.gather(
            *(
                self._one(person, balance, today, now)
                for person in audience.low_balance_subscribers()
            ),
            return_exceptions=True,
        )
        delivered = 0
        for result in results:
            if isinstance(result, BaseException):
                log.error("Low-balance check failed", exc_info=result)
            elif result:
                delivered += 1
        return delivered

    async def _one(self, person: Recipient, balance: Balance, today: date, now: datetime) -> bool:
        alerts = self._store.alerts
        threshold = person.settings.threshold
        if balance.available(today) >= threshold:
            if not person.settings.armed:
                await alerts.set_armed(person.user_id, True)
            return False
        if not person.settings.armed or person.muted(now):
            return False
        if not await alerts.set_armed(person.user_id, False):
            return False  # someone else took this alert
        sent = await self._messenger.alert_low_balance(
            person, balance, today, threshold, silent=person.in_quiet_hours(now, self._tz)
        )
        if sent.outcome is not Outcome.SENT:
            # Not delivered: armed again, so they hear it once they can be reached.
            await alerts.set_armed(person.user_id, True)
            return False
        return True
