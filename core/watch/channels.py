"""Groups bound as alert channels: what each hears from the poller.

A group hears what an admin of the bot chose for it with ``/alerts`` there: the final
state (closed, cancelled) of every tracked dispatch, every dispatch that stops for want
of money, a low balance below the group's own threshold, and the SMS API's outages.

What each group was told about each dispatch is stored (``group_alert_notices``), so a
restart neither repeats a group's alert nor misses one, and a group that starts hearing
about a dispatch hears of changes from then on, as a person does. The low-balance alert
is armed per group as it is per person (``balance.py``). Groups have no live status
message, no quiet hours and no mute: a group's members mute it in Telegram itself. A
group the bot can no longer write to (removed while the bot was away) is forgotten, and
its binding with it.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable
from dataclasses import replace
from datetime import date, datetime
from decimal import Decimal
from typing import Protocol
from zoneinfo import ZoneInfo

from core.sms import Balance, Dispatch, DispatchStatus
from core.watch.audience import Audience
from core.watch.delivery import Delivery, Outcome
from core.watch.statuses import FINAL_STATUSES
from storage import GroupAlerts, GroupNotice, Storage, TrackedDispatch

log = logging.getLogger(__name__)


class ChannelMessenger(Protocol):
    """What the channel watch needs said in a group; the Telegram layer words it in the
    group's language and keeps to the group's limits (``handlers/notify/groups.py``)."""

    async def channel_final(self, channel: GroupAlerts, dispatch: Dispatch) -> Delivery: ...

    async def channel_not_enough_money(
        self, channel: GroupAlerts, dispatch: Dispatch, available: Decimal | None
    ) -> Delivery: ...

    async def channel_low_balance(
        self, channel: GroupAlerts, balance: Balance, today: date, threshold: Decimal
    ) -> Delivery: ...

    async def channel_api_down(
        self, channel: GroupAlerts, since: datetime, failed_cycles: int, token_rejected: bool
    ) -> Delivery: ...

    async def channel_api_back(
        self, channel: GroupAlerts, since: datetime, until: datetime
    ) -> Delivery: ...


class ChannelWatch:
    def __init__(self, store: Storage, messenger: ChannelMessenger, tz: ZoneInfo) -> None:
        self._store = store
        self._messenger = messenger
        self._tz = tz

    # -- dispatches --------------------------------------------------------------

    async def dispatch_observed(
        self,
        dispatch: Dispatch,
        before: TrackedDispatch,
        audience: Audience,
        available: Decimal | None,
    ) -> bool:
        """Tell every group that hears about dispatches what it has not been told of
        this one. True when every group is settled (told, or gone); False when some
        message failed and the next cycle should try again."""
        channels = [
            channel
            for channel in audience.channels
            if channel.final_states or channel.not_enough_money
        ]
        if not channels:
            return True
        stored = await self._store.group_alerts.notices(dispatch.id)
        results = await asyncio.gather(
            *(
                self._one(channel, dispatch, before, stored.get(channel.chat_id), available)
                for channel in channels
            ),
            return_exceptions=True,
        )
        settled = True
        for result in results:
            if isinstance(result, BaseException):
                log.error("Telling groups of dispatch %s failed", dispatch.id, exc_info=result)
                settled = False
            elif not result:
                settled = False
        return settled

    async def _one(
        self,
        channel: GroupAlerts,
        dispatch: Dispatch,
        before: TrackedDispatch,
        stored: GroupNotice | None,
        available: Decimal | None,
    ) -> bool:
        notice = stored or _baseline(dispatch, before, channel.chat_id)
        failed = False
        if dispatch.status is DispatchStatus.NOT_ENOUGH_MONEY:
            if channel.not_enough_money and not notice.nem_alerted:
                sent = await self._messenger.channel_not_enough_money(channel, dispatch, available)
                if sent.outcome is Outcome.SENT:
                    notice = replace(notice, nem_alerted=True)
                elif not await self._settled(channel, sent):
                    failed = True
        elif notice.nem_alerted:
            notice = replace(notice, nem_alerted=False)  # re-run: a new stop alerts again
        if dispatch.is_final:
            if channel.final_states and not notice.final_sent:
                sent = await self._messenger.channel_final(channel, dispatch)
                if sent.outcome is Outcome.SENT:
                    notice = replace(notice, final_sent=True)
                elif not await self._settled(channel, sent):
                    failed = True
        elif notice.final_sent:
            notice = replace(notice, final_sent=False)  # re-run: its new end is news
        if notice != stored and not (stored is None and failed):
            await self._store.group_alerts.save_notice(notice)
        return not failed

    # -- the balance -------------------------------------------------------------

    async def balance(self, balance: Balance, audience: Audience, now: datetime) -> int:
        """The low-balance rule per group; returns how many groups were alerted."""
        today = now.astimezone(self._tz).date()
        results = await asyncio.gather(
            *(
                self._balance_one(channel, balance, today)
                for channel in audience.channels_hearing("low_balance")
            ),
            return_exceptions=True,
        )
        alerted = 0
        for result in results:
            if isinstance(result, BaseException):
                log.error("A group's low-balance check failed", exc_info=result)
            elif result:
                alerted += 1
        return alerted

    async def _balance_one(self, channel: GroupAlerts, balance: Balance, today: date) -> bool:
        repo = self._store.group_alerts
        if balance.available(today) >= channel.threshold:
            if not channel.armed:
                await repo.set_armed(channel.chat_id, True)
            return False
        if not channel.armed or not await repo.set_armed(channel.chat_id, False):
            return False  # told already, or another process took this alert
        sent = await self._messenger.channel_low_balance(channel, balance, today, channel.threshold)
        if sent.outcome is Outcome.SENT:
            return True
        if not await self._settled(channel, sent):
            await repo.set_armed(channel.chat_id, True)  # heard once it can be reached
        return False

    # -- outages -----------------------------------------------------------------

    async def api_down(
        self, audience: Audience, since: datetime, failed_cycles: int, token_rejected: bool
    ) -> None:
        await self._tell_outage(
            audience,
            lambda channel: self._messenger.channel_api_down(
                channel, since, failed_cycles, token_rejected
            ),
        )

    async def api_back(self, audience: Audience, since: datetime, until: datetime) -> None:
        await self._tell_outage(
            audience, lambda channel: self._messenger.channel_api_back(channel, since, until)
        )

    async def _tell_outage(
        self, audience: Audience, tell: Callable[[GroupAlerts], Awaitable[Delivery]]
    ) -> None:
        channels = audience.channels_hearing("outages")
        results = await asyncio.gather(*(tell(c) for c in channels), return_exceptions=True)
        for channel, result in zip(channels, results, strict=True):
            if isinstance(result, BaseException):
                log.error("Telling group %s of the outage failed", channel.chat_id, exc_info=result)
            else:
                await self._settled(channel, result)

    # -- inside ------------------------------------------------------------------

    async def _settled(self, channel: GroupAlerts, delivery: Delivery) -> bool:
        """Whether nothing is left to try: the group cannot be written to any more (then
        it is forgotten, and its binding ends with it)."""
        if delivery.outcome is not Outcome.UNREACHABLE:
            return False
        if await self._store.group_chats.forget(channel.chat_id):
            log.info("Group %s cannot be written to; its alerts end", channel.chat_id)
        return True


def _baseline(dispatch: Dispatch, before: TrackedDispatch, chat_id: int) -> GroupNotice:
    """A group new to this dispatch has seen what the poller saw last: it is told of
    changes from then on, not of a stop or an end that was already there."""
    last = before.last_status
    return GroupNotice(
        dispatch.id,
        chat_id,
        nem_alerted=last == DispatchStatus.NOT_ENOUGH_MONEY.value,
        final_sent=last in FINAL_STATUSES,
    )
