"""Per-user alert settings and the low-balance alert's armed state.

A setting never chosen is not stored: a missing row or NULL column reads as the default,
so admins are low-balance subscribers from their first start, with the threshold that
BALANCE_THRESHOLD gives at the time, until they change it.

"Alert once when the balance crosses the threshold downwards, again only after it has
risen above": a user is ``armed`` until alerted. The poller alerts a user whose
threshold is crossed only if ``set_armed(user_id, False)`` returns True (it disarmed
now), and re-arms with ``set_armed(user_id, True)`` once the balance is back above.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from storage.dates import from_db_optional, to_db, to_db_optional
from storage.db import Database

DEFAULT_THRESHOLD = Decimal(100)


@dataclass(frozen=True)
class AlertSettings:
    user_id: int
    my_dispatches: bool  # status changes of dispatches the user follows
    all_dispatches: bool  # every tracked dispatch, whoever made it
    low_balance: bool
    threshold: Decimal
    not_enough_money: bool
    quiet_from: int | None  # minutes of the day; both set or both None
    quiet_to: int | None
    muted_until: datetime | None
    armed: bool  # False after a low-balance alert, until the balance rises above again
    alerted_at: datetime | None  # last low-balance alert


_BOOL_FIELDS = frozenset({"my_dispatches", "all_dispatches", "low_balance", "not_enough_money"})
SETTING_FIELDS = _BOOL_FIELDS | {"threshold", "quiet_from", "quiet_to", "muted_until"}

# Settings with their defaults applied; `u` is users, `a` is alert_settings.
_RESOLVED = """
    COALESCE(a.my_dispatches, 1) AS my_dispatches,
    COALESCE(a.all_dispatches, 0) AS all_dispatches,
    COALESCE(a.low_balance, u.role IS 'admin') AS low_balance,
    a.threshold AS threshold,
    COALESCE(a.not_enough_money, 1) AS not_enough_money,
    a.quiet_from AS quiet_from,
    a.quiet_to AS quiet_to,
    a.muted_until AS muted_until,
    COALESCE(a.armed, 1) AS armed,
    a.alerted_at AS alerted_at
"""

# Only people who still have access and can be written to get alerts.
_REACHABLE = "u.role IS NOT NULL AND u.active = 1"


class AlertSettingsRepo:
    def __init__(self, db: Database, default_threshold: Decimal = DEFAULT_THRESHOLD) -> None:
        self._db = db
        self._default_threshold = _threshold(default_threshold)

    async def get_or_default(self, user_id: int) -> AlertSettings:
        row = await self._db.fetchone(
            f"""
            SELECT k.user_id AS user_id, {_RESOLVED}
            FROM (SELECT ? AS user_id) AS k
            LEFT JOIN users AS u ON u.user_id = k.user_id
            LEFT JOIN alert_settings AS a ON a.user_id = k.user_id
            """,
            (user_id,),
        )
        assert row is not None  # the subquery always yields one row
        return self._settings(row)

    async def update(self, user_id: int, **fields: Any) -> AlertSettings:
        """Change some settings: my_dispatches, all_dispatches, low_balance, not_enough_money
        (bool), threshold (Decimal, int or str; None = the default), quiet_from and quiet_to
        (minutes 0..1439, given together, None = no quiet hours), muted_until (aware datetime
        or None)."""
        values = _validated(fields)
        if values:
            columns = ", ".join(values)
            updates = ", ".join(f"{name} = excluded.{name}" for name in values)
            await self._db.execute(
                f"""
                INSERT INTO alert_settings (user_id, {columns}, updated_at)
                VALUES (?, {", ".join("?" * len(values))}, ?)
                ON CONFLICT (user_id) DO UPDATE SET {updates}, updated_at = excluded.updated_at
                """,
                (user_id, *values.values(), to_db(self._db.now())),
            )
        return await self.get_or_default(user_id)

    async def subscribers_for_low_balance(self) -> list[AlertSettings]:
        return await self._subscribers("low_balance")

    async def subscribers_all_dispatches(self) -> list[AlertSettings]:
        return await self._subscribers("all_dispatches")

    async def set_armed(self, user_id: int, armed: bool) -> bool:
        """Arm or disarm the low-balance alert; True only if this call changed the state.

        Disarming records the moment as alerted_at. Of several callers racing to disarm,
        exactly one gets True: that one sends the alert.
        """
        now = to_db(self._db.now())
        if armed:
            changed = await self._db.execute(
                "UPDATE alert_settings SET armed = 1, updated_at = ? "
                "WHERE user_id = ? AND armed = 0",
                (now, user_id),
            )
        else:
            changed = await self._db.execute(
                """
                INSERT INTO alert_settings (user_id, armed, alerted_at, updated_at)
                VALUES (?, 0, ?, ?)
                ON CONFLICT (user_id) DO UPDATE SET
                    armed = 0, alerted_at = excluded.alerted_at, updated_at = excluded.updated_at
                WHERE armed = 1
                """,
                (user_id, now, now),
            )
        return changed == 1

    async def _subscribers(self, resolved_flag: str) -> list[AlertSettings]:
        rows = await self._db.fetchall(
            f"""
            SELECT * FROM (
                SELECT u.user_id AS user_id, {_RESOLVED}
                FROM users AS u LEFT JOIN alert_settings AS a ON a.user_id = u.user_id
                WHERE {_REACHABLE}
            ) WHERE {resolved_flag} = 1
            ORDER BY user_id
            """
        )
        return [self._settings(row) for row in rows]

    def _settings(self, row: sqlite3.Row) -> AlertSettings:
        threshold = row["threshold"]
        return AlertSettings(
            user_id=row["user_id"],
            my_dispatches=bool(row["my_dispatches"]),
            all_dispatches=bool(row["all_dispatches"]),
            low_balance=bool(row["low_balance"]),
            threshold=Decimal(threshold) if threshold is not None else self._default_threshold,
            not_enough_money=bool(row["not_enough_money"]),
            quiet_from=row["quiet_from"],
            quiet_to=row["quiet_to"],
            muted_until=from_db_optional(row["muted_until"]),
            armed=bool(row["armed"]),
            alerted_at=from_db_optional(row["alerted_at"]),
        )


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    """Check the fields and turn them into column values."""
    unknown = set(fields) - SETTING_FIELDS
    if unknown:
        raise TypeError(f"not alert settings: {sorted(unknown)}")
    if ("quiet_from" in fields) != ("quiet_to" in fields):
        raise ValueError("quiet_from and quiet_to are set together")
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in _BOOL_FIELDS:
            if not isinstance(value, bool):
                raise TypeError(f"{name} must be a bool, got {value!r}")
            values[name] = int(value)
        elif name == "threshold":
            values[name] = None if value is None else str(_threshold(value))
        elif name in ("quiet_from", "quiet_to"):
            values[name] = _minute_of_day(name, value)
        else:  # muted_until
            values[name] = to_db_optional(value)
    if (values.get("quiet_from") is None) != (values.get("quiet_to") is None):
        raise ValueError("quiet hours need both ends, or neither")
    return values


def _threshold(value: Decimal | int | str) -> Decimal:
    # A float would carry binary noise into a money amount.
    if isinstance(value, float | bool) or not isinstance(value, Decimal | int | str):
        raise TypeError(f"threshold must be a Decimal, int or str, got {value!r}")
    amount = Decimal(value)
    if not amount.is_finite():
        raise ValueError(f"threshold must be a finite amount, got {value!r}")
    return amount


def _minute_of_day(name: str, value: int | None) -> int | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value < 24 * 60:
        raise ValueError(f"{name} must be a minute of the day (0..1439), got {value!r}")
    return value
