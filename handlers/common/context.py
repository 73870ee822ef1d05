"""What every handler works with, gathered once per update.

The access gate (``handlers/access/gate.py``) builds one :class:`Context` per update and
hands it to handlers as ``ctx``: who is writing (profile, role, language), and the
process's settings, storage, SMS client, clock and outbox.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from aiogram import Bot

from core.clock import Clock
from core.settings import Settings
from core.sms import SmsApiClient
from handlers.common.i18n import Translator
from handlers.common.outbox import Outbox
from storage import Role, Storage, User


@dataclass(frozen=True, slots=True)
class Context:
    bot: Bot
    user: User
    role: Role | None
    t: Translator
    settings: Settings
    store: Storage
    sms: SmsApiClient
    clock: Clock
    outbox: Outbox
    chat_id: int
    demo: bool = False  # only `python -m bot demo`: the SMS API is the embedded emulator

    @property
    def user_id(self) -> int:
        return self.user.user_id

    @property
    def tz(self) -> ZoneInfo:
        return self.settings.timezone

    def now(self) -> datetime:
        return self.clock.now()
