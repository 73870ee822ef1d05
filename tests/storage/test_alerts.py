"""Alert settings, their defaults, and the once-per-crossing low-balance state."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from decimal import Decimal
from pathlib import Path

import pytest

from storage import Role, Storage
from tests.support.storage import ManualClock


async def _person(storage: Storage, user_id: int, role: Role | None) -> None:
    await storage.users.upsert_seen(user_id, f"user {user_id}", None, "ru")
    await storage.users.set_role(user_id, role)


async def test_defaults_for_a_manager(storage: Storage) -> None:
    await _person(storage, 7, Role.MANAGER)
    settings = await storage.alerts.get_or_default(7)
    assert settings.user_id == 7
    assert settings.my_dispatches is True
    assert settings.all_dispatches is False
    assert settings.low_balance is False
    assert settings.threshold == Decimal("250.50")
    assert settings.not_enough_money is True
    assert (settings.quiet_from, settings.quiet_to, settings.muted_until) == (None, None, None)
    assert settings.armed is True and settings.alerted_at is None


async def test_admins_get_low_balance_alerts_with_the_default_threshold(storage: Storage) -> None:
    await storage.users.ensure_admins([1])
    settings = await storage.alerts.get_or_default(1)
    assert settings.low_balance is True and settings.threshold == Decimal("250.50")
    assert [s.user_id for s in await storage.alerts.subscribers_for_low_balance()] == [1]


async def test_defaults_for_someone_never_seen(storage: Storage) -> None:
    settings = await storage.alerts.get_or_default(404)
    assert settings.user_id == 404 and settings.low_balance is False and settings.armed


async def test_update_changes_only_the_given_settings(storage: Storage) -> None:
    await _person(storage, 7, Role.MANAGER)
    muted = datetime(2025, 3, 2, 8, 0, tzinfo=UTC)

    settings = await storage.alerts.update(
        7, low_balance=True, threshold=Decimal("99.99"), quiet_from=22 * 60, quiet_to=7 * 60
    )
    assert settings.low_balance and settings.threshold == Decimal("99.99")
    assert (settings.quiet_from, settings.quiet_to) == (1320, 420)
    assert settings.my_dispatches and settings.not_enough_money  # untouched defaults

    settings = await storage.alerts.update(7, muted_until=muted, my_dispatches=False)
    assert settings.muted_until == muted and not settings.my_dispatches
    assert settings.threshold == Decimal("99.99") and settings.quiet_from == 1320

    settings = await storage.alerts.update(7, threshold=None, quiet_from=None, quiet_to=None)
    assert settings.threshold == Decimal("250.50")
    assert settings.quiet_from is None and settings.quiet_to is None
    assert await storage.alerts.get_or_default(7) == settings


async def test_thresholds_keep_their_exact_amount(storage: Storage) -> None:
    settings = await storage.alerts.update(7, threshold="1000000.01")
    assert settings.threshold == Decimal("1000000.01")
    assert (await storage.alerts.update(7, threshold=5)).threshold == Decimal(5)


@pytest.mark.parametrize(
    ("fields", "error"),
    [
        ({"volume": 3}, TypeError),
        ({"low_balance": 1}, TypeError),
        ({"threshold": 0.1}, TypeError),
        ({"threshold": "NaN"}, ValueError),
        ({"quiet_from": 60}, ValueError),
        ({"quiet_from": 60, "quiet_to": None}, ValueError),
        ({"quiet_from": 1440, "quiet_to": 0}, ValueError),
        ({"quiet_from": -1, "quiet_to": 0}, ValueError),
        ({"muted_until": datetime(2025, 1, 1)}, ValueError),
    ],
)
async def test_update_refuses_bad_values(storage: Storage, fields: dict, error: type) -> None:
    with pytest.raises(error):
        await storage.alerts.update(7, **fields)
    stored = await storage.db.fetchone("SELECT count(*) FROM alert_settings")
    assert stored is not None and stored[0] == 0


async def test_low_balance_subscribers_are_people_with_access_who_can_be_reached(
    storage: Storage,
) -> None:
    await storage.users.ensure_admins([1, 2])
    await _person(storage, 3, Role.OBSERVER)
    await _person(storage, 4, Role.MANAGER)
    await _person(storage, 5, None)  # a stranger who switched alerts on before losing access
    await storage.alerts.update(2, low_balance=False)  # an admin who opted out
    await storage.alerts.update(3, low_balance=True, threshold=Decimal(10))
    await storage.alerts.update(5, low_balance=True)
    await storage.users.set_active(1, False)  # blocked the bot

    subscribers = await storage.alerts.subscribers_for_low_balance()
    assert [(s.user_id, s.threshold) for s in subscribers] == [(3, Decimal(10))]


async def test_all_dispatches_subscribers(storage: Storage) -> None:
    await _person(storage, 3, Role.OBSERVER)
    await _person(storage, 4, Role.MANAGER)
    await storage.alerts.update(3, all_dispatches=True)
    assert [s.user_id for s in await storage.alerts.subscribers_all_dispatches()] == [3]
    await storage.users.set_role(3, None)
    assert await storage.alerts.subscribers_all_dispatches() == []


async def test_alert_once_per_crossing_then_rearm(storage: Storage, clock: ManualClock) -> None:
    """The poller's story: low -> alert, still low -> nothing, back up -> re-armed, low -> alert."""
    await storage.users.ensure_admins([1])

    assert await storage.alerts.set_armed(1, False)  # crossed down: this caller alerts
    settings = await storage.alerts.get_or_default(1)
    assert not settings.armed and settings.alerted_at == clock()
    assert settings.low_balance  # disarming stored a row, the defaults still apply

    clock.advance(minutes=1)
    assert not await storage.alerts.set_armed(1, False)  # still low: no second alert
    assert (await storage.alerts.get_or_default(1)).alerted_at != clock()

    assert await storage.alerts.set_armed(1, True)  # rose above
    assert not await storage.alerts.set_armed(1, True)
    assert await storage.alerts.set_armed(1, False)  # fell again: a new alert


async def test_arming_a_user_never_alerted_changes_nothing(storage: Storage) -> None:
    assert not await storage.alerts.set_armed(7, True)
    assert (await storage.alerts.get_or_default(7)).armed


async def test_racing_disarms_alert_exactly_once(storage: Storage) -> None:
    results = await asyncio.gather(*(storage.alerts.set_armed(1, False) for _ in range(20)))
    assert results.count(True) == 1


async def test_alert_state_survives_a_restart(tmp_path: Path) -> None:
    path = tmp_path / "bot.sqlite3"
    first = await Storage.open(path)
    await first.alerts.update(7, low_balance=True)
    await first.alerts.set_armed(7, False)
    await first.close()

    second = await Storage.open(path)
    try:
        settings = await second.alerts.get_or_default(7)
        assert settings.low_balance and not settings.armed
    finally:
        await second.close()
