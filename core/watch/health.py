"""SMS API outages, told to the admins once: one "unavailable" alert after several failed
cycles in a row, one "back" message at the first good cycle after it. Groups bound as
alert channels that chose outages hear the same two (``channels.py``).

The outage is stored (``kv_state``), so a restart in the middle of one neither repeats
the alert nor forgets to say that the service is back.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from core.sms import SmsApiError, TokenRejected
from core.watch.audience import Audience, Recipient
from core.watch.channels import ChannelWatch
from core.watch.delivery import Delivery
from core.watch.messenger import Messenger
from storage import Storage
from storage.dates import from_db, to_db

log = logging.getLogger(__name__)

DOWN_SINCE_KEY = "sms_api_down_since"
FAILED_CYCLES_BEFORE_ALERT = 3


class ApiHealth:
    def __init__(
        self,
        store: Storage,
        messenger: Messenger,
        tz: ZoneInfo,
        failed_cycles_before_alert: int = FAILED_CYCLES_BEFORE_ALERT,
        channels: ChannelWatch | None = None,
    ) -> None:
        self._store = store
        self._messenger = messenger
        self._channels = channels
        self._tz = tz
        self._threshold = failed_cycles_before_alert
        self._failed_cycles = 0
        self._first_failure: datetime | None = None
        self._loaded = False
        self._down_since: datetime | None = None  # an outage the admins were told about

    @property
    def failed_cycles(self) -> int:
        return self._failed_cycles

    async def cycle_failed(self, error: SmsApiError, now: datetime, audience: Audience) -> None:
        await self._load()
        self._failed_cycles += 1
        if self._first_failure is None:
            self._first_failure = now
        log.warning("SMS API unavailable (%s), %d cycle(s) in a row", error, self._failed_cycles)
        if self._down_since is not None or self._failed_cycles < self._threshold:
            return
        since = self._first_failure
        self._down_since = since
        await self._store.state.set(DOWN_SINCE_KEY, to_db(since))
        token = isinstance(error, TokenRejected)
        failed = self._failed_cycles
        await self._tell_admins(
            audience,
            now,
            lambda admin, silent: self._messenger.alert_api_down(
                admin, since, failed, token, silent=silent
            ),
        )
        if self._channels is not None:
            await self._channels.api_down(audience, since, failed, token)

    async def cycle_succeeded(self, now: datetime, audience: Audience) -> None:
        await self._load()
        self._failed_cycles = 0
        self._first_failure = None
        since = self._down_since
        if since is None:
            return
        self._down_since = None
        if not await self._store.state.delete(DOWN_SINCE_KEY):
            return  # another process has said it already
        log.info("SMS API is back")
        await self._tell_admins(
            audience,
            now,
            lambda admin, silent: self._messenger.announce_api_back(
                admin, since, now, silent=silent
            ),
        )
        if self._channels is not None:
            await self._channels.api_back(audience, since, now)

    async def _load(self) -> None:
        if self._loaded:
            return
        stored = await self._store.state.get(DOWN_SINCE_KEY)
        self._down_since = from_db(stored) if stored else None
        self._loaded = True

    async def _tell_admins(
        self,
        audience: Audience,
        now: datetime,
        tell: Callable[[Recipient, bool], Awaitable[Delivery]],
    ) -> None:
        # Not held back by a mute (it is about the service, not one dispatch), but silent
        # when the admin asked for quiet.
        await asyncio.gather(
            *(tell(admin, admin.silent(now, self._tz)) for admin in audience.admins())
        )
