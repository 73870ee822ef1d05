"""The emulated client's account: address books, dispatches and money."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal
from enum import StrEnum

import msgspec


class Contact(msgspec.Struct, frozen=True, gc=False):
    """A struct, not a dataclass: a generated book of a million is made in 0.1 s, not 0.9."""

    phone: str
    comment: str | None = None


@dataclass
class AddressBook:
    id: int
    name: str
    contacts: list[Contact]
    # The serialised contacts list, kept because a book can hold 1,000,000 numbers.
    contacts_json: bytes | None = field(default=None, repr=False, compare=False)


class DispatchStatus(StrEnum):
    IN_QUEUE = "IN_QUEUE"
    TARIFFING = "TARIFFING"
    NOT_ENOUGH_MONEY = "NOT_ENOUGH_MONEY"
    ACTIVE = "ACTIVE"
    DELIVERING = "DELIVERING"
    CLOSED = "CLOSED"
    CANCELED = "CANCELED"


CANCELABLE = frozenset(
    {DispatchStatus.IN_QUEUE, DispatchStatus.NOT_ENOUGH_MONEY, DispatchStatus.ACTIVE}
)
RUNNABLE = frozenset({DispatchStatus.CANCELED, DispatchStatus.NOT_ENOUGH_MONEY})


@dataclass
class Dispatch:
    """One dispatch and the timeline of its current run.

    ``tariff_at`` ends TARIFFING and starts sending, ``sending_until`` ends ACTIVE,
    ``date_to_close`` ends DELIVERING. A historical dispatch (from the data file) keeps
    its status until someone acts on it.
    """

    id: int
    text: str
    phones: list[str]
    segments: int
    messages_count: int
    status: DispatchStatus
    date_send: datetime
    date_to_close: datetime
    comment: str | None = None
    source: str = "API"
    historical: bool = False
    made_in_web: bool = False  # in the web interface (the data file's), not through the API
    messages_sent: int = 0
    messages_delivered: int = 0
    tariff_at: datetime | None = None
    sending_until: datetime | None = None
    sent_before_run: int = 0  # messages sent by earlier runs (before a cancel)
    price: Decimal = Decimal(0)  # per message, as charged by the current run
    epoch: int = 0  # bumped on every change that invalidates scheduled events


@dataclass
class CreditLimit:
    limit: Decimal
    date_start: date | None
    date_end: date | None

    def covers(self, day: date) -> bool:
        """Whether the credit may be spent on ``day`` (both ends included)."""
        if self.date_start is not None and day < self.date_start:
            return False
        return self.date_end is None or day <= self.date_end


@dataclass
class Wallet:
    balance: Decimal
    beginning_period_balance: Decimal
    limit: Decimal
    credit_limit: CreditLimit | None
    current_payments: Decimal
    current_fees: Decimal

    def available(self, day: date) -> Decimal:
        """What may be spent on ``day``: the balance plus a credit that is in force."""
        credit = self.credit_limit
        if credit is not None and credit.covers(day):
            return self.balance + credit.limit
        return self.balance

    def charge(self, amount: Decimal) -> None:
        self.balance -= amount
        self.current_fees += amount

    def refund(self, amount: Decimal) -> None:
        self.balance += amount
        self.current_fees -= amount

    def top_up(self, amount: Decimal) -> None:
        self.balance += amount
        if amount > 0:
            self.current_payments += amount
