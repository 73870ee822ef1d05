"""When a send waits for approval, and until when."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from core.approval_rules import REQUEST_LIFETIME, ApprovalRule, approval_rule, expires_at
from core.send_settings import (
    ApprovalLimits,
    Limit,
    read_limits,
    read_price,
    write_limit,
    write_price,
)
from storage import Storage

NOW = datetime(2030, 5, 6, 9, 15, 30, tzinfo=UTC)


def test_each_limit_is_checked_and_only_the_ones_set() -> None:
    rule = ApprovalRule(
        ApprovalLimits(recipients=100, parts=300, cost=Decimal(105)), Decimal("0.35")
    )
    assert rule.exceeded(100, 300) == []  # at a limit is not above it
    assert rule.exceeded(101, 100) == [Limit.RECIPIENTS]
    assert rule.exceeded(10, 301) == [Limit.PARTS, Limit.COST]  # 301 × 0,35 = 105,35
    assert ApprovalRule(ApprovalLimits(), Decimal(1)).exceeded(10**6, 10**7) == []


def test_a_cost_limit_counts_only_with_a_price() -> None:
    rule = ApprovalRule(ApprovalLimits(cost=Decimal("0.01")), None)
    assert rule.cost(1000) is None
    assert rule.exceeded(1000, 1000) == []
    priced = ApprovalRule(ApprovalLimits(cost=Decimal("0.01")), Decimal("0.35"))
    assert priced.cost(2) == Decimal("0.70") and priced.exceeded(1, 2) == [Limit.COST]


def test_a_request_lives_to_the_next_whole_minute_and_no_longer_than_its_send_time() -> None:
    end = expires_at(NOW, None)
    assert end == (NOW + REQUEST_LIFETIME).replace(second=0) + timedelta(minutes=1)
    soon = NOW + timedelta(minutes=30)
    assert expires_at(NOW, soon) == soon
    whole = NOW.replace(second=0)
    assert expires_at(whole, None) == whole + REQUEST_LIFETIME


async def test_the_rule_is_read_from_what_admins_set(store: Storage) -> None:
    assert await approval_rule(store) is None  # no limit: nothing is held
    await write_limit(store, Limit.PARTS, 5000)
    await write_price(store, Decimal("0.35"))
    rule = await approval_rule(store)
    assert rule == ApprovalRule(ApprovalLimits(parts=5000), Decimal("0.35"))
    await write_limit(store, Limit.PARTS, None)
    await write_price(store, None)
    assert await approval_rule(store) is None and await read_price(store) is None


async def test_a_value_written_by_hand_that_is_no_number_counts_as_unset(store: Storage) -> None:
    await store.state.set("send.price_per_part", "cheap")
    await store.state.set("approval.max_recipients", "-5")
    await store.state.set("approval.max_cost", "NaN")
    assert await read_price(store) is None
    assert await read_limits(store) == ApprovalLimits()
