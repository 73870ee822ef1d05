"""Who can hear from the notifier in this cycle, with their alert settings.

Read once per cycle: everyone with a role who has not blocked the bot, and every group
bound as an alert channel that hears anything (``core/watch/channels.py``). Observers
are in it too; only the buttons they are shown differ.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from storage import AlertSettings, GroupAlerts, Role, Storage
from storage.group_alerts import KINDS

MINUTES_PER_DAY = 24 * 60


@dataclass(frozen=True)
class Recipient:
    user_id: int
    role: Role
    language: str | None  # their own choice; None = their Telegram app's
    telegram_language: str | None
    settings: AlertSettings

    def muted(self, now: datetime) -> bool:
        until = self.settings.muted_until
        return until is not None and now < until

    def in_quiet_hours(self, now: datetime, tz: ZoneInfo) -> bool:
        return in_quiet_hours(self.settings.quiet_from, self.settings.quiet_to, now, tz)

    def silent(self, now: datetime, tz: ZoneInfo) -> bool:
        """Whether a message now should come without a sound."""
        return self.muted(now) or self.in_quiet_hours(now, tz)


def in_quiet_hours(
    quiet_from: int | None, quiet_to: int | None, now: datetime, tz: ZoneInfo
) -> bool:
    """``quiet_from``/``quiet_to`` are minutes of the day in ``tz``; the span may wrap
    past midnight (22:00-08:00). Equal ends mean no quiet hours."""
    if quiet_from is None or quiet_to is None or quiet_from == quiet_to:
        return False
    local = now.astimezone(tz)
    minute = local.hour * 60 + local.minute
    if quiet_from < quiet_to:
        return quiet_from <= minute < quiet_to
    return minute >= quiet_from or minute < quiet_to


@dataclass(frozen=True)
class Audience:
    people: dict[int, Recipient]
    channels: tuple[GroupAlerts, ...] = ()  # bound groups, each with what it hears

    @classmethod
    async def load(cls, store: Storage) -> Audience:
        people: dict[int, Recipient] = {}
        for user in await store.users.list_with_roles():
            if not user.active or user.role is None:
                continue
            people[user.user_id] = Recipient(
                user_id=user.user_id,
                role=user.role,
                language=user.language,
                telegram_language=user.telegram_language,
                settings=await store.alerts.get_or_default(user.user_id),
            )
        return cls(people, tuple(await store.group_alerts.listening()))

    def get(self, user_id: int) -> Recipient | None:
        return self.people.get(user_id)

    def watching_all_dispatches(self) -> list[Recipient]:
        return [person for person in self.people.values() if person.settings.all_dispatches]

    def low_balance_subscribers(self) -> list[Recipient]:
        return [person for person in self.people.values() if person.settings.low_balance]

    def admins(self) -> list[Recipient]:
        return [person for person in self.people.values() if person.role is Role.ADMIN]

    def channels_hearing(self, kind: str) -> list[GroupAlerts]:
        """The bound groups that chose this kind (a field of GroupAlerts: final_states,
        not_enough_money, low_balance or outages)."""
        if kind not in KINDS:
            raise ValueError(f"not a kind of group alert: {kind!r}")
        return [channel for channel in self.channels if getattr(channel, kind)]
