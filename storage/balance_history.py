"""The balance as the poller saw it, kept an hour at a time for the reports.

Each reading is compared with the last one kept: a fall adds to the hour's ``spent``, a
rise (a payment, or money given back for a cancelled dispatch) to its ``credited``, and
the hour's ``closing`` becomes the new balance. A reading equal to the last one writes
nothing, so an idle account costs no row, and a busy one at most a row an hour (about
8,800 in the 400 days kept), however often the poller reads.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal

from storage.dates import from_db, to_db
from storage.db import Database

KEEP = timedelta(days=400)
_COLUMNS = "hour, opening, closing, spent, credited"


@dataclass(frozen=True)
class BalanceHour:
    hour: datetime  # the start of the hour, UTC
    opening: Decimal  # the balance before the hour's first change
    closing: Decimal  # the last balance read in the hour
    spent: Decimal  # the sum of the falls within the hour
    credited: Decimal  # the sum of the rises within the hour


def hour_of(moment: datetime) -> datetime:
    """The start of the UTC hour ``moment`` falls in."""
    return moment.astimezone(UTC).replace(minute=0, second=0, microsecond=0)


def _row(row: sqlite3.Row) -> BalanceHour:
    return BalanceHour(
        hour=from_db(row["hour"]),
        opening=Decimal(row["opening"]),
        closing=Decimal(row["closing"]),
        spent=Decimal(row["spent"]),
        credited=Decimal(row["credited"]),
    )


class BalanceHistoryRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, balance: Decimal, at: datetime) -> bool:
        """Keep a reading of the balance taken at ``at``; True if it changed what is kept
        (the first reading ever, or a balance other than the last one)."""
        if not balance.is_finite():
            raise ValueError(f"the balance must be a finite amount, got {balance!r}")
        hour = hour_of(at)
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            rows = list(
                await conn.execute_fetchall(
                    f"SELECT {_COLUMNS} FROM balance_hours ORDER BY hour DESC LIMIT 1"
                )
            )
            last = _row(rows[0]) if rows else None
            if last is None:
                await conn.execute(
                    "INSERT INTO balance_hours (hour, opening, closing, spent, credited, "
                    "updated_at) VALUES (?, ?, ?, '0', '0', ?)",
                    (to_db(hour), str(balance), str(balance), now),
                )
                return True
            if balance == last.closing:
                return False
            change = balance - last.closing
            fall, rise = max(-change, Decimal(0)), max(change, Decimal(0))
            # A clock that went back writes into the newest hour, never into the past.
            if hour <= last.hour:
                await conn.execute(
                    "UPDATE balance_hours SET closing = ?, spent = ?, credited = ?, "
                    "updated_at = ? WHERE hour = ?",
                    (
                        str(balance),
                        str(last.spent + fall),
                        str(last.credited + rise),
                        now,
                        to_db(last.hour),
                    ),
                )
                return True
            await conn.execute(
                "INSERT INTO balance_hours (hour, opening, closing, spent, credited, "
                "updated_at) VALUES (?, ?, ?, ?, ?, ?)",
                (to_db(hour), str(last.closing), str(balance), str(fall), str(rise), now),
            )
            # A new hour comes at most once an hour: the moment to let the oldest go.
            await conn.execute("DELETE FROM balance_hours WHERE hour < ?", (to_db(hour - KEEP),))
        return True

    async def between(self, start: datetime, end: datetime) -> list[BalanceHour]:
        """The hours that begin in [start, end), oldest first."""
        rows = await self._db.fetchall(
            f"SELECT {_COLUMNS} FROM balance_hours WHERE hour >= ? AND hour < ? ORDER BY hour",
            (to_db(hour_of(start)), to_db(end)),
        )
        return [_row(row) for row in rows]

    async def last_before(self, moment: datetime) -> BalanceHour | None:
        """The newest hour that begins before ``moment``: its closing is the balance then."""
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM balance_hours WHERE hour < ? ORDER BY hour DESC LIMIT 1",
            (to_db(moment),),
        )
        return _row(row) if row else None

    async def first_hour(self) -> datetime | None:
        """When the first reading kept was taken (its hour); None before any."""
        row = await self._db.fetchone("SELECT MIN(hour) AS first FROM balance_hours")
        return None if row is None or row["first"] is None else from_db(row["first"])

    async def count(self) -> int:
        row = await self._db.fetchone("SELECT count(*) FROM balance_hours")
        return int(row[0]) if row else 0
