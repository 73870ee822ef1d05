"""The channel watch's rules, with a recording messenger: each group is told each thing
once, newcomers are not told the past, a failed message is tried again, a group the bot
is out of is forgotten, and the low-balance alert is armed per group."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from typing import Any

import pytest

from core.sms import Balance, Dispatch
from core.watch.audience import Audience
from core.watch.channels import ChannelWatch
from core.watch.delivery import Delivery, Outcome
from storage import GroupAlerts, Storage, TrackedDispatch
from tests.support.dispatches import MOSCOW, NOW, dispatch

GROUP = -9001


@dataclass
class Recorder:
    """A ChannelMessenger that notes what it was asked and answers as told."""

    outcome: Outcome = Outcome.SENT
    said: list[tuple[str, int, Any]] = field(default_factory=list)

    def _note(self, kind: str, channel: GroupAlerts, about: Any) -> Delivery:
        self.said.append((kind, channel.chat_id, about))
        return Delivery(self.outcome, 1 if self.outcome is Outcome.SENT else None)

    async def channel_final(self, channel: GroupAlerts, dispatch: Dispatch) -> Delivery:
        return self._note("final", channel, dispatch.status_raw)

    async def channel_not_enough_money(
        self, channel: GroupAlerts, dispatch: Dispatch, available: Decimal | None
    ) -> Delivery:
        return self._note("nem", channel, available)

    async def channel_low_balance(
        self, channel: GroupAlerts, balance: Balance, today: date, threshold: Decimal
    ) -> Delivery:
        return self._note("low", channel, threshold)

    async def channel_api_down(
        self, channel: GroupAlerts, since: datetime, failed_cycles: int, token_rejected: bool
    ) -> Delivery:
        return self._note("down", channel, failed_cycles)

    async def channel_api_back(
        self, channel: GroupAlerts, since: datetime, until: datetime
    ) -> Delivery:
        return self._note("back", channel, until)


@pytest.fixture
def recorder() -> Recorder:
    return Recorder()


@pytest.fixture
def watch(store: Storage, recorder: Recorder) -> ChannelWatch:
    return ChannelWatch(store, recorder, MOSCOW)


async def hearing(store: Storage, **kinds: Any) -> Audience:
    await store.group_alerts.bind(GROUP, "group", "Team", 1, "ru")
    await store.group_alerts.update(GROUP, **kinds)
    return await Audience.load(store)


async def tracked(store: Storage, last_status: str | None = None) -> TrackedDispatch:
    await store.dispatches.track(7, None, "3 numbers", "Hello", None)
    if last_status is not None:
        await store.dispatches.record_observation(7, last_status, 0, 0, 3, False, None)
    found = await store.dispatches.get(7)
    assert found is not None
    return found


async def test_a_final_state_is_told_once(store: Storage, watch: ChannelWatch, recorder: Recorder):
    audience = await hearing(store, final_states=True)
    before = await tracked(store, "DELIVERING")
    for _ in range(3):
        assert await watch.dispatch_observed(dispatch("CLOSED"), before, audience, None)
    assert recorder.said == [("final", GROUP, "CLOSED")]


async def test_a_stop_is_told_once_per_stay_and_again_after_a_rerun(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    audience = await hearing(store, not_enough_money=True, final_states=True)
    before = await tracked(store, "TARIFFING")
    stopped = dispatch("NOT_ENOUGH_MONEY")
    await watch.dispatch_observed(stopped, before, audience, Decimal(1))
    await watch.dispatch_observed(stopped, before, audience, Decimal(1))
    await watch.dispatch_observed(dispatch("ACTIVE"), before, audience, None)  # re-run
    await watch.dispatch_observed(stopped, before, audience, Decimal(2))
    assert recorder.said == [("nem", GROUP, Decimal(1)), ("nem", GROUP, Decimal(2))]


async def test_a_group_new_to_a_dispatch_is_not_told_what_the_poller_saw_before(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    audience = await hearing(store, not_enough_money=True, final_states=True)
    await watch.dispatch_observed(
        dispatch("NOT_ENOUGH_MONEY"), await tracked(store, "NOT_ENOUGH_MONEY"), audience, None
    )
    assert recorder.said == []


async def test_a_group_that_chose_neither_hears_nothing_and_keeps_nothing(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    audience = await hearing(store, low_balance=True, outages=True)
    assert await watch.dispatch_observed(dispatch("CLOSED"), await tracked(store), audience, None)
    assert recorder.said == [] and await store.group_alerts.notices(7) == {}


async def test_a_failed_message_is_not_recorded_and_the_cycle_is_unsettled(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    audience = await hearing(store, final_states=True)
    before = await tracked(store, "DELIVERING")
    recorder.outcome = Outcome.FAILED
    assert not await watch.dispatch_observed(dispatch("CLOSED"), before, audience, None)
    assert await store.group_alerts.notices(7) == {}
    recorder.outcome = Outcome.SENT
    assert await watch.dispatch_observed(dispatch("CLOSED"), before, audience, None)
    assert len(recorder.said) == 2


async def test_a_group_the_bot_cannot_write_to_is_forgotten(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    audience = await hearing(store, final_states=True)
    recorder.outcome = Outcome.UNREACHABLE
    assert await watch.dispatch_observed(
        dispatch("CLOSED"), await tracked(store, "ACTIVE"), audience, None
    )
    assert await store.group_alerts.get(GROUP) is None
    assert await store.group_chats.get(GROUP) is None


async def test_the_low_balance_rule_per_group(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    audience = await hearing(store, low_balance=True, threshold=Decimal(50))
    low, high = Balance.model_validate({"balance": 42}), Balance.model_validate({"balance": 60})
    assert await watch.balance(low, audience, NOW) == 1
    assert await watch.balance(low, await Audience.load(store), NOW) == 0  # not again
    await watch.balance(high, await Audience.load(store), NOW)  # armed again
    assert await watch.balance(low, await Audience.load(store), NOW) == 1
    assert [said[0] for said in recorder.said] == ["low", "low"]

    recorder.outcome = Outcome.FAILED
    await watch.balance(high, await Audience.load(store), NOW)
    assert await watch.balance(low, await Audience.load(store), NOW) == 0
    alerts = await store.group_alerts.get(GROUP)
    assert alerts is not None and alerts.armed  # not told: told once it can be


async def test_outages_reach_only_the_groups_that_chose_them(
    store: Storage, watch: ChannelWatch, recorder: Recorder
):
    await hearing(store, outages=True)
    await store.group_alerts.bind(-9002, "group", "Other", 1, "en")
    await store.group_alerts.update(-9002, final_states=True)
    audience = await Audience.load(store)
    await watch.api_down(audience, NOW, 3, False)
    await watch.api_back(audience, NOW, NOW)
    assert [(kind, chat) for kind, chat, _ in recorder.said] == [
        ("down", GROUP),
        ("back", GROUP),
    ]
    with pytest.raises(ValueError):
        audience.channels_hearing("armed")
