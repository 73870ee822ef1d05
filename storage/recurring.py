"""Recurring dispatches: schedules, and the occurrences created for them at the SMS API.

A schedule is kept with its rule as plain columns (``ScheduleRule``); the rule's meaning
(which moments it gives) lives in ``core/recurring/rules.py``. ``next_due`` is the one
occurrence the keeper works on: created ahead at the API, then, once its moment has
passed, the next one. Every change that replaces the pending occurrence (pause, resume,
an edit) bumps ``version``, so an occurrence taken up for an older version is never
mistaken for the new one's.

An occurrence row is written before its create is sent, together with a draft whose
guarded states (``storage/drafts.py``) decide the one create:

    planned --(its moment passed, created)--> fired
    planned --(its moment passed, never created)--> missed
    planned --(refused for good)--> failed
    planned --(paused, edited, deleted)--> cancelling --> cancelled | cancel_failed
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from enum import StrEnum
from typing import Any

from storage.dates import from_db, from_db_optional, to_db, to_db_optional
from storage.db import Database
from storage.drafts import DraftState


class ScheduleState(StrEnum):
    ACTIVE = "active"
    PAUSED = "paused"
    ENDED = "ended"  # its last day passed
    DELETED = "deleted"


class OccurrenceState(StrEnum):
    PLANNED = "planned"
    FIRED = "fired"
    MISSED = "missed"
    FAILED = "failed"
    CANCELLING = "cancelling"
    CANCELLED = "cancelled"
    CANCEL_FAILED = "cancel_failed"


@dataclass(frozen=True)
class ScheduleRule:
    """The rule as stored: what kind, at which minute of the day, on which days."""

    kind: str  # daily, weekdays, weekly, monthly
    at_minute: int  # 0..1439, wall clock in the API's zone
    weekdays: int = 0  # weekly: bit 0 = Monday .. bit 6 = Sunday
    month_day: int | None = None  # monthly: 1..31
    starts_on: date | None = None
    ends_on: date | None = None


@dataclass(frozen=True)
class Schedule:
    id: int
    setup_key: str
    owner_id: int
    chat_id: int
    book_id: int | None
    book_name: str | None
    phones: list[str]  # typed numbers; empty when the recipients are a book
    text: str
    rule: ScheduleRule
    send_late: bool
    state: ScheduleState
    version: int
    next_due: datetime | None
    created_at: datetime
    updated_at: datetime


@dataclass(frozen=True)
class Occurrence:
    id: int
    schedule_id: int
    version: int
    due_at: datetime
    draft_id: str | None
    state: OccurrenceState
    late: bool
    # From its draft and, when the create's answer was lost, the search for it.
    draft_state: DraftState | None
    dispatch_id: int | None
    searching: bool  # the search for a lost create's dispatch is still going

    @property
    def created(self) -> bool:
        """The create was sent (or is being sent): never again."""
        return self.draft_state not in (None, DraftState.PENDING, DraftState.ABANDONED)


_SCHEDULE_COLUMNS = (
    "id, setup_key, owner_id, chat_id, book_id, book_name, phones, text, kind, at_minute, "
    "weekdays, month_day, starts_on, ends_on, send_late, state, version, next_due, "
    "created_at, updated_at"
)
_OCCURRENCE_SELECT = """
    SELECT o.id, o.schedule_id, o.version, o.due_at, o.draft_id, o.state, o.late,
           d.state AS draft_state,
           COALESCE(d.dispatch_id, CASE WHEN l.state = 'found' THEN l.found_id END)
               AS dispatch_id,
           l.state = 'searching' AS searching
    FROM recurring_occurrences o
    LEFT JOIN drafts d ON d.id = o.draft_id
    LEFT JOIN lost_creates l ON l.draft_id = o.draft_id
"""
# What an owner may change of a schedule (state, version and next_due are moved by the
# methods that own them).
CONTENT_FIELDS = frozenset({"text", "rule", "send_late", "state", "next_due"})


def _date(text: str | None) -> date | None:
    return None if text is None else date.fromisoformat(text)


def _schedule(row: sqlite3.Row) -> Schedule:
    return Schedule(
        id=row["id"],
        setup_key=row["setup_key"],
        owner_id=row["owner_id"],
        chat_id=row["chat_id"],
        book_id=row["book_id"],
        book_name=row["book_name"],
        phones=json.loads(row["phones"]),
        text=row["text"],
        rule=ScheduleRule(
            kind=row["kind"],
            at_minute=row["at_minute"],
            weekdays=row["weekdays"],
            month_day=row["month_day"],
            starts_on=_date(row["starts_on"]),
            ends_on=_date(row["ends_on"]),
        ),
        send_late=bool(row["send_late"]),
        state=ScheduleState(row["state"]),
        version=row["version"],
        next_due=from_db_optional(row["next_due"]),
        created_at=from_db(row["created_at"]),
        updated_at=from_db(row["updated_at"]),
    )


def _occurrence(row: sqlite3.Row) -> Occurrence:
    return Occurrence(
        id=row["id"],
        schedule_id=row["schedule_id"],
        version=row["version"],
        due_at=from_db(row["due_at"]),
        draft_id=row["draft_id"],
        state=OccurrenceState(row["state"]),
        late=bool(row["late"]),
        draft_state=DraftState(row["draft_state"]) if row["draft_state"] else None,
        dispatch_id=row["dispatch_id"],
        searching=bool(row["searching"]),
    )


def _rule_values(rule: ScheduleRule) -> dict[str, Any]:
    return {
        "kind": rule.kind,
        "at_minute": rule.at_minute,
        "weekdays": rule.weekdays,
        "month_day": rule.month_day,
        "starts_on": rule.starts_on.isoformat() if rule.starts_on else None,
        "ends_on": rule.ends_on.isoformat() if rule.ends_on else None,
    }


def _phones_json(book_id: int | None, phones: Iterable[str]) -> str:
    numbers = list(phones)
    if (book_id is None) == (not numbers):
        raise ValueError("a schedule goes either to a book or to typed numbers")
    return json.dumps(numbers)


class RecurringRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    # -- schedules ---------------------------------------------------------------

    async def create(
        self,
        setup_key: str,
        owner_id: int,
        chat_id: int,
        *,
        text: str,
        rule: ScheduleRule,
        next_due: datetime | None,
        book_id: int | None = None,
        book_name: str | None = None,
        phones: Iterable[str] = (),
        send_late: bool = False,
    ) -> tuple[Schedule, bool]:
        """Save a schedule once per set-up; returns it and whether it was added now."""
        now = to_db(self._db.now())
        values = {
            "setup_key": setup_key,
            "owner_id": owner_id,
            "chat_id": chat_id,
            "book_id": book_id,
            "book_name": book_name,
            "phones": _phones_json(book_id, phones),
            "text": text,
            **_rule_values(rule),
            "send_late": int(send_late),
            "next_due": to_db_optional(next_due),
            "created_at": now,
            "updated_at": now,
        }
        names = ", ".join(values)
        marks = ", ".join(f":{name}" for name in values)
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.execute(
                f"INSERT INTO recurring_schedules ({names}) VALUES ({marks}) "
                "ON CONFLICT (setup_key) DO NOTHING",
                values,
            )
            added = cursor.rowcount == 1
            rows = await conn.execute_fetchall(
                f"SELECT {_SCHEDULE_COLUMNS} FROM recurring_schedules WHERE setup_key = ?",
                (setup_key,),
            )
        return _schedule(next(iter(rows))), added

    async def get(self, schedule_id: int) -> Schedule | None:
        row = await self._db.fetchone(
            f"SELECT {_SCHEDULE_COLUMNS} FROM recurring_schedules WHERE id = ?", (schedule_id,)
        )
        return _schedule(row) if row else None

    async def by_setup_key(self, setup_key: str) -> Schedule | None:
        row = await self._db.fetchone(
            f"SELECT {_SCHEDULE_COLUMNS} FROM recurring_schedules WHERE setup_key = ?",
            (setup_key,),
        )
        return _schedule(row) if row else None

    async def page(self, owner_id: int | None, limit: int, offset: int = 0) -> list[Schedule]:
        """Schedules not deleted, newest first: one owner's, or everyone's (None)."""
        rows = await self._db.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM recurring_schedules "
            "WHERE state != 'deleted' AND (:owner IS NULL OR owner_id = :owner) "
            "ORDER BY id DESC LIMIT :limit OFFSET :offset",
            {"owner": owner_id, "limit": limit, "offset": offset},
        )
        return [_schedule(row) for row in rows]

    async def count(self, owner_id: int | None) -> int:
        row = await self._db.fetchone(
            "SELECT count(*) FROM recurring_schedules "
            "WHERE state != 'deleted' AND (:owner IS NULL OR owner_id = :owner)",
            {"owner": owner_id},
        )
        return int(row[0]) if row else 0

    async def due(self, horizon: datetime) -> list[Schedule]:
        """Active schedules whose next occurrence falls before ``horizon``."""
        rows = await self._db.fetchall(
            f"SELECT {_SCHEDULE_COLUMNS} FROM recurring_schedules "
            "WHERE state = 'active' AND next_due <= ? ORDER BY next_due, id",
            (to_db(horizon),),
        )
        return [_schedule(row) for row in rows]

    async def change(
        self, schedule_id: int, from_states: Sequence[ScheduleState], **fields: Any
    ) -> Schedule | None:
        """Change text, rule, send_late, state or next_due of a schedule in one of
        ``from_states``, bumping its version; None if it is in none of them (any more).

        ``send_late`` alone does not bump the version: the pending occurrence stays.
        """
        unknown = set(fields) - CONTENT_FIELDS
        if unknown:
            raise TypeError(f"not schedule content: {sorted(unknown)}")
        values: dict[str, Any] = {}
        for name, value in fields.items():
            if name == "rule":
                values |= _rule_values(value)
            elif name == "state":
                values["state"] = ScheduleState(value).value
            elif name == "next_due":
                values["next_due"] = to_db_optional(value)
            elif name == "send_late":
                values["send_late"] = int(value)
            else:
                values[name] = value
        bump = 0 if set(fields) <= {"send_late"} else 1
        assignments = ", ".join(f"{name} = :{name}" for name in values)
        states = ", ".join(f"'{ScheduleState(state).value}'" for state in from_states)
        async with self._db.transaction(immediate=True) as conn:
            rows = list(
                await conn.execute_fetchall(
                    f"UPDATE recurring_schedules SET {assignments}, version = version + :bump, "
                    f"updated_at = :now WHERE id = :id AND state IN ({states}) "
                    f"RETURNING {_SCHEDULE_COLUMNS}",
                    values | {"bump": bump, "now": to_db(self._db.now()), "id": schedule_id},
                )
            )
        return _schedule(rows[0]) if rows else None

    async def advance(
        self,
        schedule: Schedule,
        passed: Sequence[datetime],
        next_due: datetime | None,
    ) -> list[datetime] | None:
        """Move past the occurrences whose moment came (``passed``) to ``next_due``
        (None: the schedule ended). Each passed one that was created is ``fired``; one
        that never was becomes ``missed`` (its draft, if any, abandoned).

        Returns the moments that became missed now, or None when the schedule changed
        meanwhile (another version, state or next occurrence) and nothing was done.
        """
        now = to_db(self._db.now())
        state = ScheduleState.ACTIVE if next_due is not None else ScheduleState.ENDED
        missed: list[datetime] = []
        async with self._db.transaction(immediate=True) as conn:
            cursor = await conn.execute(
                "UPDATE recurring_schedules SET next_due = ?, state = ?, updated_at = ? "
                "WHERE id = ? AND version = ? AND state = 'active' AND next_due = ?",
                (
                    to_db_optional(next_due),
                    state.value,
                    now,
                    schedule.id,
                    schedule.version,
                    to_db_optional(schedule.next_due),
                ),
            )
            if cursor.rowcount != 1:
                return None
            for due in passed:
                rows = list(
                    await conn.execute_fetchall(
                        f"{_OCCURRENCE_SELECT} WHERE o.schedule_id = ? AND o.version = ? "
                        "AND o.due_at = ?",
                        (schedule.id, schedule.version, to_db(due)),
                    )
                )
                if not rows:
                    await conn.execute(
                        "INSERT INTO recurring_occurrences (schedule_id, version, due_at, state, "
                        "created_at, updated_at) VALUES (?, ?, ?, 'missed', ?, ?)",
                        (schedule.id, schedule.version, to_db(due), now, now),
                    )
                    missed.append(due)
                    continue
                occurrence = _occurrence(rows[0])
                if occurrence.state is not OccurrenceState.PLANNED:
                    continue  # failed, or being cancelled: already told
                target = OccurrenceState.FIRED if occurrence.created else OccurrenceState.MISSED
                await conn.execute(
                    "UPDATE recurring_occurrences SET state = ?, updated_at = ? WHERE id = ?",
                    (target.value, now, occurrence.id),
                )
                if target is OccurrenceState.MISSED:
                    missed.append(due)
                    await conn.execute(
                        "UPDATE drafts SET state = 'abandoned', updated_at = ? "
                        "WHERE id = ? AND state = 'pending'",
                        (now, occurrence.draft_id),
                    )
        return missed

    # -- occurrences -------------------------------------------------------------

    async def plan(
        self, schedule: Schedule, due_at: datetime, draft_id: str, *, late: bool = False
    ) -> bool:
        """Write the occurrence's key with its draft, while the schedule is still active
        at this version; False if it was written before or the schedule changed."""
        now = to_db(self._db.now())
        changed = await self._db.execute(
            """
            INSERT OR IGNORE INTO recurring_occurrences
                (schedule_id, version, due_at, draft_id, late, created_at, updated_at)
            SELECT ?, ?, ?, ?, ?, ?, ?
            WHERE EXISTS (SELECT 1 FROM recurring_schedules
                          WHERE id = ? AND version = ? AND state = 'active')
            """,
            (
                schedule.id,
                schedule.version,
                to_db(due_at),
                draft_id,
                int(late),
                now,
                now,
                schedule.id,
                schedule.version,
            ),
        )
        return changed == 1

    async def occurrence(
        self, schedule_id: int, version: int, due_at: datetime
    ) -> Occurrence | None:
        row = await self._db.fetchone(
            f"{_OCCURRENCE_SELECT} WHERE o.schedule_id = ? AND o.version = ? AND o.due_at = ?",
            (schedule_id, version, to_db(due_at)),
        )
        return _occurrence(row) if row else None

    async def occurrence_by_id(self, occurrence_id: int) -> Occurrence | None:
        row = await self._db.fetchone(f"{_OCCURRENCE_SELECT} WHERE o.id = ?", (occurrence_id,))
        return _occurrence(row) if row else None

    async def pending(self, schedule_id: int, after: datetime) -> list[Occurrence]:
        """Occurrences still to come (planned, moment after ``after``), of any version."""
        rows = await self._db.fetchall(
            f"{_OCCURRENCE_SELECT} WHERE o.schedule_id = ? AND o.state = 'planned' "
            "AND o.due_at > ? ORDER BY o.due_at",
            (schedule_id, to_db(after)),
        )
        return [_occurrence(row) for row in rows]

    async def cancelling(self, limit: int) -> list[Occurrence]:
        """Occurrences whose cancel at the API is still to be done."""
        rows = await self._db.fetchall(
            f"{_OCCURRENCE_SELECT} WHERE o.state = 'cancelling' ORDER BY o.due_at LIMIT ?",
            (limit,),
        )
        return [_occurrence(row) for row in rows]

    async def recent(self, schedule_id: int, limit: int) -> list[Occurrence]:
        """The schedule's latest occurrences, newest moment first."""
        rows = await self._db.fetchall(
            f"{_OCCURRENCE_SELECT} WHERE o.schedule_id = ? ORDER BY o.due_at DESC, o.id DESC "
            "LIMIT ?",
            (schedule_id, limit),
        )
        return [_occurrence(row) for row in rows]

    async def move(
        self,
        occurrence_id: int,
        from_states: Sequence[OccurrenceState],
        target: OccurrenceState,
    ) -> bool:
        """One guarded state change: True for exactly one caller."""
        states = ", ".join(f"'{OccurrenceState(state).value}'" for state in from_states)
        changed = await self._db.execute(
            f"UPDATE recurring_occurrences SET state = ?, updated_at = ? "
            f"WHERE id = ? AND state IN ({states})",
            (target.value, to_db(self._db.now()), occurrence_id),
        )
        return changed == 1

    async def mark_late(self, occurrence_id: int) -> None:
        """The occurrence goes out after its moment (the schedule allows it)."""
        await self._db.execute(
            "UPDATE recurring_occurrences SET late = 1, updated_at = ? WHERE id = ?",
            (to_db(self._db.now()), occurrence_id),
        )
