"""Answers of the SMS API the bot could not read, told to the admins: once for each
endpoint and field, and again only when what comes there changes.

The client notes each problem as it meets it (``core/sms/problems.py``); every cycle
this watch tells the admins about the new ones. What they were told is stored, so a
restart does not repeat it.
"""

from __future__ import annotations

import asyncio
import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from core.sms import FormatProblem
from core.watch.audience import Audience
from core.watch.messenger import Messenger
from storage import Storage

log = logging.getLogger(__name__)

TOLD_KEY = "sms_api_format:"


class FormatWatch:
    def __init__(self, store: Storage, messenger: Messenger, tz: ZoneInfo) -> None:
        self._store = store
        self._messenger = messenger
        self._tz = tz

    async def tell(self, problems: list[FormatProblem], audience: Audience, now: datetime) -> None:
        for problem in problems:
            key = TOLD_KEY + problem.key
            told = f"{problem.expected}|{problem.got}"
            if await self._store.state.get(key) == told:
                continue
            await self._store.state.set(key, told)
            log.warning(
                "SMS API %s: %s: expected %s, got %s",
                problem.endpoint,
                problem.field,
                problem.expected,
                problem.got,
            )
            await asyncio.gather(
                *(
                    self._messenger.alert_format_problem(
                        admin, problem, silent=admin.silent(now, self._tz)
                    )
                    for admin in audience.admins()
                )
            )
