"""What the channel watch (``core/watch/channels.py``) needs said in a group, worded in
the group's language (``group_render.py``) and gathered per group within Telegram's
limit (``group_feed.py``). Handed to the poller at start (``bot/app.py``)."""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.sms import Balance, Dispatch
from core.watch import Delivery
from handlers.common.i18n import translator
from handlers.common.outbox import Outbox
from handlers.notify import group_render
from handlers.notify.group_feed import GroupFeeds
from storage import GroupAlerts


class TelegramChannelMessenger:
    def __init__(self, outbox: Outbox, tz: ZoneInfo) -> None:
        self.feeds = GroupFeeds(outbox)
        self.tz = tz

    async def channel_final(self, channel: GroupAlerts, dispatch: Dispatch) -> Delivery:
        t = translator(channel.language)
        return await self._post(channel, group_render.final_state(t, dispatch, self.tz))

    async def channel_not_enough_money(
        self, channel: GroupAlerts, dispatch: Dispatch, available: Decimal | None
    ) -> Delivery:
        t = translator(channel.language)
        return await self._post(channel, group_render.not_enough_money(t, dispatch, available))

    async def channel_low_balance(
        self, channel: GroupAlerts, balance: Balance, today: date, threshold: Decimal
    ) -> Delivery:
        t = translator(channel.language)
        return await self._post(channel, group_render.low_balance(t, balance, today, threshold))

    async def channel_api_down(
        self, channel: GroupAlerts, since: datetime, failed_cycles: int, token_rejected: bool
    ) -> Delivery:
        t = translator(channel.language)
        return await self._post(channel, group_render.api_down(t, since, self.tz))

    async def channel_api_back(
        self, channel: GroupAlerts, since: datetime, until: datetime
    ) -> Delivery:
        t = translator(channel.language)
        return await self._post(channel, group_render.api_back(t, since, until, self.tz))

    async def _post(self, channel: GroupAlerts, alert: group_render.GroupAlert) -> Delivery:
        return await self.feeds.post(channel.chat_id, translator(channel.language), alert)
