"""From one observation of a dispatch to the messages its audience should see.

Each person's state (their status message and what it shows, whether the
NOT_ENOUGH_MONEY alert and the final message went out) is stored per dispatch, and
every observation brings each person up to date from there. So a message is sent once,
whoever's process sends it, and a restart picks up whatever was not sent yet.

- The status message: one per dispatch and person, edited as the status and the counts
  move. It is started once the dispatch moves past the queue (a dispatch waiting in the
  queue shows nothing that its card did not already show).
- A new message only for what needs attention: the final state, and NOT_ENOUGH_MONEY as
  an alert with a Re-run button for those whose role may run it.
- Someone who starts hearing about a dispatch hears of changes from then on: what the
  poller had last seen counts as already shown to them.
"""

from __future__ import annotations

import asyncio
import logging
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from zoneinfo import ZoneInfo

from core.sms import Dispatch, DispatchStatus
from core.watch.audience import Audience, Recipient
from core.watch.delivery import Delivery, Outcome
from core.watch.messenger import Messenger
from storage import Notice, Storage, TrackedDispatch

log = logging.getLogger(__name__)

# Before anything is sent there is nothing to tell that the card did not say.
NOT_STARTED = frozenset({DispatchStatus.IN_QUEUE, DispatchStatus.TARIFFING})
FINAL_STATUSES = frozenset({"CLOSED", "CANCELED"})


def render_key(dispatch: Dispatch) -> str:
    """What a status message shows, in short: equal keys mean an edit would change nothing."""
    return "|".join(
        str(part)
        for part in (
            dispatch.status_raw,
            dispatch.messages_count,
            dispatch.messages_sent,
            dispatch.messages_delivered,
            dispatch.date_send.isoformat(),
            dispatch.date_to_close.isoformat() if dispatch.date_to_close else None,
        )
    )


def observation_key(status: str | None, count: int, sent: int, delivered: int) -> str:
    return f"{status}|{count}|{sent}|{delivered}"


def seen_before(tracked: TrackedDispatch) -> str:
    return observation_key(
        tracked.last_status,
        tracked.messages_count,
        tracked.messages_sent,
        tracked.messages_delivered,
    )


def seen_now(dispatch: Dispatch) -> str:
    return observation_key(
        dispatch.status_raw,
        dispatch.messages_count or 0,
        dispatch.messages_sent or 0,
        dispatch.messages_delivered or 0,
    )


@dataclass(frozen=True)
class Interest:
    """What a person hears about one dispatch."""

    news: bool  # the status message and the final message
    money: bool  # the NOT_ENOUGH_MONEY alert


def interest(person: Recipient, subscribed: bool) -> Interest:
    settings = person.settings
    hears = subscribed or settings.all_dispatches
    return Interest(
        news=(subscribed and settings.my_dispatches) or settings.all_dispatches,
        money=hears and settings.not_enough_money,
    )


class StatusWatch:
    def __init__(self, store: Storage, messenger: Messenger, tz: ZoneInfo) -> None:
        self._store = store
        self.notices = store.notices
        self.messenger = messenger
        self.tz = tz

    async def notify(
        self,
        dispatch: Dispatch,
        before: TrackedDispatch,
        audience: Audience,
        now: datetime,
        available: Decimal | None,
    ) -> bool:
        """Bring everyone who hears about the dispatch up to date with this observation.

        ``before`` is the dispatch as the poller had last stored it. True when everyone
        is settled (shown, or unreachable); False when some delivery failed and should
        be tried again at the next cycle.
        """
        subscribers = {s.user_id for s in await self._store.subscriptions.subscribers(dispatch.id)}
        people = {uid: audience.get(uid) for uid in subscribers}
        for person in audience.watching_all_dispatches():
            people[person.user_id] = person
        stored = await self.notices.notices(dispatch.id)
        changed = before.last_status is None or seen_before(before) != seen_now(dispatch)
        jobs = []
        for user_id, person in people.items():
            if person is None:
                continue  # no access any more, or blocked the bot
            wants = interest(person, user_id in subscribers)
            if not (wants.news or wants.money):
                continue
            jobs.append(
                _PersonUpdate(
                    self,
                    dispatch,
                    before,
                    person,
                    wants,
                    stored.get(user_id),
                    changed,
                    now,
                    available,
                ).run()
            )
        results = await asyncio.gather(*jobs, return_exceptions=True)
        settled = True
        for result in results:
            if isinstance(result, BaseException):
                log.error("Notifying about dispatch %s failed", dispatch.id, exc_info=result)
                settled = False
            elif not result:
                settled = False
        return settled


class _PersonUpdate:
    """One person, one observation: edits and messages in order, then the notice stored."""

    def __init__(
        self,
        watch: StatusWatch,
        dispatch: Dispatch,
        before: TrackedDispatch,
        person: Recipient,
        wants: Interest,
        stored: Notice | None,
        changed: bool,
        now: datetime,
        available: Decimal | None,
    ) -> None:
        self.watch = watch
        self.dispatch = dispatch
        self.before = before
        self.person = person
        self.wants = wants
        self.stored = stored
        self.changed = changed
        self.now = now
        self.available = available
        self.tz = watch.tz
        self.silent = person.silent(now, watch.tz)
        self.failed = False
        self.unreachable = False

    async def run(self) -> bool:
        notice = self.stored or self._baseline()
        if self.wants.news:
            notice = await self._status_message(notice)
        if not self.unreachable:
            notice = await self._money_alert(notice)
        if not self.unreachable:
            notice = await self._final_message(notice)
        if notice != self.stored and not (self.stored is None and self.failed):
            # A newcomer whose first message failed keeps no row: next time they are
            # still new, and the change is still news to them.
            await self.watch.notices.save(notice)
        return self.unreachable or not self.failed

    def _baseline(self) -> Notice:
        """A newcomer has seen what the poller saw last (the card showed them that)."""
        last = self.before.last_status
        return Notice(
            self.dispatch.id,
            self.person.user_id,
            # Without a message, the key says what they are taken to have seen already.
            rendered_key=None if self.changed else render_key(self.dispatch),
            nem_alerted=last == DispatchStatus.NOT_ENOUGH_MONEY.value,
            final_sent=last in FINAL_STATUSES,
        )

    async def _status_message(self, notice: Notice) -> Notice:
        dispatch = self.dispatch
        messenger = self.watch.messenger
        key = render_key(dispatch)
        if notice.message_id is not None and notice.rendered_key != key:
            edited = await messenger.edit_status(
                self.person, notice.message_id, dispatch, self.before
            )
            if edited.shown:
                return notice.but(rendered_key=key)
            if edited.outcome is Outcome.GONE:
                notice = notice.but(message_id=None, rendered_key=None)
            else:
                self._note(edited)
                return notice
        if notice.message_id is None and self._may_start(notice, key):
            sent = await messenger.send_status(
                self.person, dispatch, self.before, silent=self.silent
            )
            if sent.outcome is Outcome.SENT:
                return notice.but(message_id=sent.message_id, rendered_key=key)
            self._note(sent)
        return notice

    def _may_start(self, notice: Notice, key: str) -> bool:
        status = self.dispatch.status
        if self.dispatch.is_final or status in NOT_STARTED:
            return False
        if status is DispatchStatus.NOT_ENOUGH_MONEY and self.wants.money:
            return False  # the alert says it all
        return notice.rendered_key != key

    async def _money_alert(self, notice: Notice) -> Notice:
        if self.dispatch.status is not DispatchStatus.NOT_ENOUGH_MONEY:
            return notice.but(nem_alerted=False) if notice.nem_alerted else notice
        if notice.nem_alerted or not self.wants.money or self.person.muted(self.now):
            return notice  # a muted alert waits for the mute to end
        sent = await self.watch.messenger.alert_not_enough_money(
            self.person,
            self.dispatch,
            self.available,
            reply_to=notice.message_id,
            silent=self.silent,
        )
        if sent.outcome is Outcome.SENT:
            return notice.but(nem_alerted=True)
        self._note(sent)
        return notice

    async def _final_message(self, notice: Notice) -> Notice:
        if not self.dispatch.is_final:
            return notice.but(final_sent=False) if notice.final_sent else notice
        if notice.final_sent or not self.wants.news:
            return notice
        sent = await self.watch.messenger.announce_final(
            self.person,
            self.dispatch,
            self.before,
            with_card=notice.message_id is None,
            reply_to=notice.message_id,
            silent=self.silent,
        )
        if sent.outcome is Outcome.SENT:
            return notice.but(final_sent=True)
        self._note(sent)
        return notice

    def _note(self, delivery: Delivery) -> None:
        if delivery.outcome is Outcome.UNREACHABLE:
            self.unreachable = True
        elif not delivery.shown:
            self.failed = True
