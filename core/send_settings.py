"""What admins set for the send path, kept in the kv store: the price of one SMS part
(for the summary's estimate) and the limits above which a manager's send waits for an
admin's approval. Telegram-free: the admins' screen writes them, the send path reads."""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from enum import StrEnum

from storage import Storage

PRICE_KEY = "send.price_per_part"


class Limit(StrEnum):
    RECIPIENTS = "recipients"  # numbers after the stop list
    PARTS = "parts"  # SMS parts in all: parts of the text times the numbers
    COST = "cost"  # the estimate, roubles; counts only while a price is set


LIMIT_KEYS = {limit: f"approval.max_{limit.value}" for limit in Limit}


@dataclass(frozen=True)
class ApprovalLimits:
    """Above any of these a manager's send waits for an admin; None: no such limit."""

    recipients: int | None = None
    parts: int | None = None
    cost: Decimal | None = None

    def value(self, limit: Limit) -> int | Decimal | None:
        return {Limit.RECIPIENTS: self.recipients, Limit.PARTS: self.parts}.get(limit, self.cost)

    @property
    def any(self) -> bool:
        return any(value is not None for value in (self.recipients, self.parts, self.cost))


def _decimal(stored: str | None) -> Decimal | None:
    try:
        value = Decimal(stored) if stored else None
    except InvalidOperation:
        return None
    # A value written by hand that is no number at all, or not above zero, counts as unset.
    return value if value is not None and value.is_finite() and value > 0 else None


async def read_price(store: Storage) -> Decimal | None:
    """The price of one SMS part; None when no admin set one."""
    return _decimal(await store.state.get(PRICE_KEY))


async def write_price(store: Storage, price: Decimal | None) -> None:
    if price is None:
        await store.state.delete(PRICE_KEY)
    else:
        await store.state.set(PRICE_KEY, str(price))


async def read_limits(store: Storage) -> ApprovalLimits:
    stored = await store.state.get_many(LIMIT_KEYS.values())
    values = {limit: _decimal(stored.get(key)) for limit, key in LIMIT_KEYS.items()}
    recipients, parts = values[Limit.RECIPIENTS], values[Limit.PARTS]
    return ApprovalLimits(
        recipients=int(recipients) if recipients is not None else None,
        parts=int(parts) if parts is not None else None,
        cost=values[Limit.COST],
    )


async def write_limit(store: Storage, limit: Limit, value: int | Decimal | None) -> None:
    if value is None:
        await store.state.delete(LIMIT_KEYS[limit])
    else:
        await store.state.set(LIMIT_KEYS[limit], str(value))
