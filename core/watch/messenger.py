"""What the watchers need said, and to whom.

The watchers decide who hears what and when; a :class:`Messenger`, handed to the poller
at start, words it in each person's language and delivers it. The one the bot runs with
is the Telegram layer's (``handlers/notify/messenger.py``).
"""

from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal
from typing import Protocol

from core.sms import Balance, Dispatch, FormatProblem
from core.watch.audience import Recipient
from core.watch.delivery import Delivery
from storage import LostCreate, TrackedDispatch


class Messenger(Protocol):
    async def send_status(
        self, person: Recipient, dispatch: Dispatch, tracked: TrackedDispatch, *, silent: bool
    ) -> Delivery:
        """A new status message: the dispatch's card, to be edited as it moves."""

    async def edit_status(
        self, person: Recipient, message_id: int, dispatch: Dispatch, tracked: TrackedDispatch
    ) -> Delivery:
        """The status message brought up to date."""

    async def alert_not_enough_money(
        self,
        person: Recipient,
        dispatch: Dispatch,
        available: Decimal | None,
        *,
        reply_to: int | None,
        silent: bool,
    ) -> Delivery: ...

    async def announce_final(
        self,
        person: Recipient,
        dispatch: Dispatch,
        tracked: TrackedDispatch,
        *,
        with_card: bool,
        reply_to: int | None,
        silent: bool,
    ) -> Delivery:
        """The final state; with the whole card when no status message shows it."""

    async def alert_low_balance(
        self, person: Recipient, balance: Balance, today: date, threshold: Decimal, *, silent: bool
    ) -> Delivery: ...

    async def alert_api_down(
        self,
        person: Recipient,
        since: datetime,
        failed_cycles: int,
        token_rejected: bool,
        *,
        silent: bool,
    ) -> Delivery: ...

    async def announce_api_back(
        self, person: Recipient, since: datetime, until: datetime, *, silent: bool
    ) -> Delivery: ...

    async def alert_format_problem(
        self, person: Recipient, problem: FormatProblem, *, silent: bool
    ) -> Delivery:
        """An answer of the SMS API the bot could not read: where, expected, got."""

    async def announce_lost_create_found(
        self, person: Recipient, lost: LostCreate, dispatch_id: int
    ) -> Delivery:
        """A create whose answer was lost probably made ``dispatch_id``."""

    async def announce_lost_create_not_found(self, person: Recipient, lost: LostCreate) -> Delivery:
        """The dispatch of a create whose answer was lost could not be found."""
