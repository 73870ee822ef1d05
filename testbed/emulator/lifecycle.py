"""How a dispatch moves: IN_QUEUE, TARIFFING, ACTIVE, DELIVERING, CLOSED, and the detours.

Every step happens at a moment fixed by the dispatch's timeline; the state fires the
steps in time order when it is read, so nothing runs in the background.
"""

from __future__ import annotations

import math
from datetime import datetime, timedelta

from .config import EmulatorConfig
from .dates import ApiDates
from .models import Dispatch, DispatchStatus, Wallet


class NoNextStatus(Exception):
    """The dispatch is in a final state (or stuck there) and has no next status."""


class Lifecycle:
    def __init__(self, config: EmulatorConfig, wallet: Wallet, dates: ApiDates) -> None:
        self.config = config
        self.wallet = wallet
        self.dates = dates

    def start_run(self, dispatch: Dispatch, start: datetime) -> None:
        """Lay out a run that leaves the queue at ``start``."""
        config = self.config
        dispatch.status = DispatchStatus.IN_QUEUE
        dispatch.historical = False
        dispatch.date_send = start
        dispatch.tariff_at = start + config.tariffing
        dispatch.sending_until = dispatch.tariff_at + config.sending
        dispatch.date_to_close = max(start + config.close_after, dispatch.sending_until)
        dispatch.epoch += 1

    def fire(self, dispatch: Dispatch, at: datetime) -> None:
        """Take the one step that is due at ``at``."""
        match dispatch.status:
            case DispatchStatus.IN_QUEUE:
                dispatch.status = DispatchStatus.TARIFFING
            case DispatchStatus.TARIFFING:
                self._tariff(dispatch, at)
            case DispatchStatus.ACTIVE:
                dispatch.status = DispatchStatus.DELIVERING
                dispatch.messages_sent = dispatch.messages_count
                dispatch.messages_delivered = 0
            case DispatchStatus.DELIVERING:
                dispatch.status = DispatchStatus.CLOSED
                dispatch.messages_delivered = self._delivery_target(dispatch)

    def counts(self, dispatch: Dispatch, now: datetime) -> tuple[int, int]:
        """Messages sent and delivered as seen at ``now`` (they grow within a status)."""
        status = dispatch.status
        if dispatch.historical or status not in (
            DispatchStatus.ACTIVE,
            DispatchStatus.DELIVERING,
        ):
            return dispatch.messages_sent, dispatch.messages_delivered
        assert dispatch.tariff_at is not None and dispatch.sending_until is not None
        if status is DispatchStatus.ACTIVE:
            pending = dispatch.messages_count - dispatch.sent_before_run
            done = _share(pending, now, dispatch.tariff_at, dispatch.sending_until)
            return dispatch.sent_before_run + done, dispatch.messages_delivered
        target = self._delivery_target(dispatch)
        delivered = _share(target, now, dispatch.sending_until, dispatch.date_to_close)
        return dispatch.messages_sent, delivered

    def cancel(self, dispatch: Dispatch, now: datetime) -> None:
        """Stop the dispatch and give back the money of what was not sent yet."""
        if dispatch.status is DispatchStatus.ACTIVE:
            sent, _ = self.counts(dispatch, now)
            self.wallet.refund((dispatch.messages_count - sent) * dispatch.price)
            dispatch.messages_sent = sent
        dispatch.status = DispatchStatus.CANCELED
        dispatch.epoch += 1

    def rerun(self, dispatch: Dispatch, now: datetime) -> None:
        """Queue the unsent rest again, at the planned time or now if that has passed."""
        dispatch.sent_before_run = dispatch.messages_sent
        dispatch.messages_delivered = 0
        self.start_run(dispatch, max(dispatch.date_send, now))

    def hurry(self, dispatch: Dispatch, now: datetime) -> None:
        """Take the dispatch's next step now, moving the rest of its timeline earlier."""
        if dispatch.historical:
            self._revive(dispatch, now)
        else:
            due = next_event_at(dispatch)
            if due is None:
                raise NoNextStatus(dispatch.status)
            _shift_from(dispatch, due, now - due)
            dispatch.epoch += 1
        self.fire(dispatch, now)

    def _tariff(self, dispatch: Dispatch, at: datetime) -> None:
        price = self.config.price_per_sms
        cost = (dispatch.messages_count - dispatch.sent_before_run) * price
        if cost > self.wallet.available(self.dates.today(at)):
            dispatch.status = DispatchStatus.NOT_ENOUGH_MONEY
            return
        self.wallet.charge(cost)
        dispatch.price = price
        dispatch.status = DispatchStatus.ACTIVE
        dispatch.messages_sent = dispatch.sent_before_run

    def _delivery_target(self, dispatch: Dispatch) -> int:
        return math.floor(dispatch.messages_sent * self.config.delivery_rate)

    def _revive(self, dispatch: Dispatch, now: datetime) -> None:
        """Give a historical dispatch a live timeline whose next step falls on ``now``."""
        config = self.config
        elapsed_before_step = {
            DispatchStatus.IN_QUEUE: timedelta(0),
            DispatchStatus.TARIFFING: config.tariffing,
            DispatchStatus.ACTIVE: config.tariffing + config.sending,
            DispatchStatus.DELIVERING: config.close_after,
        }.get(dispatch.status)
        if elapsed_before_step is None:
            raise NoNextStatus(dispatch.status)
        status = dispatch.status
        self.start_run(dispatch, now - elapsed_before_step)
        dispatch.status = status


def next_event_at(dispatch: Dispatch) -> datetime | None:
    """When the dispatch takes its next step by itself (None: it never does)."""
    if dispatch.historical:
        return None
    match dispatch.status:
        case DispatchStatus.IN_QUEUE:
            return dispatch.date_send
        case DispatchStatus.TARIFFING:
            return dispatch.tariff_at
        case DispatchStatus.ACTIVE:
            return dispatch.sending_until
        case DispatchStatus.DELIVERING:
            return dispatch.date_to_close
    return None


def _shift_from(dispatch: Dispatch, due: datetime, delta: timedelta) -> None:
    """Move every moment of the timeline from ``due`` on by ``delta``."""
    for name in ("date_send", "tariff_at", "sending_until", "date_to_close"):
        moment = getattr(dispatch, name)
        if moment is not None and moment >= due:
            setattr(dispatch, name, moment + delta)


def _share(total: int, now: datetime, start: datetime, end: datetime) -> int:
    """The part of ``total`` done by ``now`` when it grows evenly from start to end."""
    span = (end - start).total_seconds()
    if span <= 0 or now >= end:
        return total
    if now <= start:
        return 0
    return math.floor(total * (now - start).total_seconds() / span)
