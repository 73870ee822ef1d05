"""When a send waits for an admin's approval, and until when: pure rules.

A manager's send is held when it goes above any limit an admin set (numbers after the
stop list, SMS parts in all, or the estimated cost while a price is set). An admin's own
send is never held: the rule is that nobody approves their own request, and holding an
admin's send would leave a company with one admin unable to send a big one at all.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from decimal import Decimal

from core.send_settings import ApprovalLimits, Limit, read_limits, read_price
from storage import Storage

# A request nobody decided within this long expires (and its draft is closed): by then
# the send has usually lost its point, and the manager hears so the same day.
REQUEST_LIFETIME = timedelta(hours=8)


@dataclass(frozen=True)
class ApprovalRule:
    limits: ApprovalLimits
    price: Decimal | None

    def cost(self, parts: int) -> Decimal | None:
        return self.price * parts if self.price is not None else None

    def exceeded(self, recipients: int, parts: int) -> list[Limit]:
        """The limits a send of ``recipients`` numbers and ``parts`` SMS parts is above."""
        limits, cost = self.limits, self.cost(parts)
        above = []
        if limits.recipients is not None and recipients > limits.recipients:
            above.append(Limit.RECIPIENTS)
        if limits.parts is not None and parts > limits.parts:
            above.append(Limit.PARTS)
        if limits.cost is not None and cost is not None and cost > limits.cost:
            above.append(Limit.COST)
        return above


@dataclass(frozen=True)
class Hold:
    """Hold a send above the rule's limits for approval; ``message_id`` is where its
    author sees it (the summary that becomes the card once it is approved)."""

    rule: ApprovalRule
    message_id: int | None = None


async def approval_rule(store: Storage) -> ApprovalRule | None:
    """The admins' rule, or None when they set no limit."""
    limits = await read_limits(store)
    if not limits.any:
        return None
    return ApprovalRule(limits, await read_price(store))


def expires_at(now: datetime, date_send: datetime | None) -> datetime:
    """A request lives ``REQUEST_LIFETIME`` (to the next whole minute, as people read
    times), and no longer than its send time."""
    end = now + REQUEST_LIFETIME
    if end.second or end.microsecond:
        end = end.replace(second=0, microsecond=0) + timedelta(minutes=1)
    return min(end, date_send) if date_send is not None else end
