"""Group chats bound as alert channels, and what each was told about each dispatch.

An admin of the bot binds a group by running ``/alerts`` in it and chooses what the group
hears: final states of all dispatches, NOT_ENOUGH_MONEY, a low balance below the group's
threshold, outages of the SMS API. The binding lives as long as the group's row in
``group_chats``: removing the bot forgets the group and ends the binding with it, and a
group upgraded to a supergroup carries its binding to the new chat id (:meth:`move`).

The low-balance alert is armed per group as it is per person (``storage/alerts.py``):
alerted once when the balance falls below the threshold, armed again once it is back.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from storage.dates import to_db
from storage.db import Database

DEFAULT_THRESHOLD = Decimal(100)


@dataclass(frozen=True)
class GroupAlerts:
    chat_id: int
    final_states: bool  # the final state (closed, cancelled) of every tracked dispatch
    not_enough_money: bool  # every dispatch that stops for want of money
    low_balance: bool
    threshold: Decimal
    outages: bool  # the SMS API unavailable, and back
    armed: bool  # False after a low-balance alert, until the balance is back above
    language: str
    screen_message_id: int | None  # the /alerts screen
    prompt_message_id: int | None  # the threshold question; a reply to it sets the threshold
    bound_by: int

    @property
    def hears_anything(self) -> bool:
        return self.final_states or self.not_enough_money or self.low_balance or self.outages


@dataclass(frozen=True)
class GroupNotice:
    """What one group was told about one dispatch."""

    dispatch_id: int
    chat_id: int
    nem_alerted: bool = False  # for the dispatch's current stay in NOT_ENOUGH_MONEY
    final_sent: bool = False


KINDS = ("final_states", "not_enough_money", "low_balance", "outages")
_MESSAGE_FIELDS = ("screen_message_id", "prompt_message_id")
_COLUMNS = (
    "chat_id, final_states, not_enough_money, low_balance, threshold, outages, armed, "
    "language, screen_message_id, prompt_message_id, bound_by"
)


class GroupAlertRepo:
    def __init__(self, db: Database, default_threshold: Decimal = DEFAULT_THRESHOLD) -> None:
        self._db = db
        self._default_threshold = default_threshold

    async def get(self, chat_id: int) -> GroupAlerts | None:
        row = await self._db.fetchone(
            f"SELECT {_COLUMNS} FROM group_alerts WHERE chat_id = ?", (chat_id,)
        )
        return self._alerts(row) if row else None

    async def bind(
        self, chat_id: int, chat_type: str, title: str | None, admin_id: int, language: str
    ) -> GroupAlerts:
        """The group's binding, made now (hearing nothing yet) if there is none. A group
        the bot was in before it kept groups is remembered now."""
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            await conn.execute(
                """
                INSERT INTO group_chats (chat_id, chat_type, title, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (chat_id) DO NOTHING
                """,
                (chat_id, chat_type, title, now, now),
            )
            await conn.execute(
                """
                INSERT INTO group_alerts (chat_id, language, bound_by, created_at, updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (chat_id) DO NOTHING
                """,
                (chat_id, language, admin_id, now, now),
            )
            rows = await conn.execute_fetchall(
                f"SELECT {_COLUMNS} FROM group_alerts WHERE chat_id = ?", (chat_id,)
            )
        return self._alerts(next(iter(rows)))

    async def update(self, chat_id: int, **fields: Any) -> GroupAlerts | None:
        """Change the binding: the four kinds (bool), threshold (Decimal; None = the
        default), language, screen_message_id and prompt_message_id (int or None). None
        when the group is not bound (any more)."""
        values = _validated(fields)
        if values:
            assignments = ", ".join(f"{name} = ?" for name in values)
            changed = await self._db.execute(
                f"UPDATE group_alerts SET {assignments}, updated_at = ? WHERE chat_id = ?",
                (*values.values(), to_db(self._db.now()), chat_id),
            )
            if changed == 0:
                return None
        return await self.get(chat_id)

    async def toggle(self, chat_id: int, kind: str) -> GroupAlerts | None:
        """Flip one kind in one statement (two admins tapping at once flip it twice)."""
        if kind not in KINDS:
            raise ValueError(f"not a kind of group alert: {kind!r}")
        changed = await self._db.execute(
            f"UPDATE group_alerts SET {kind} = 1 - {kind}, updated_at = ? WHERE chat_id = ?",
            (to_db(self._db.now()), chat_id),
        )
        return await self.get(chat_id) if changed else None

    async def listening(self) -> list[GroupAlerts]:
        """Every bound group that hears at least one kind, in chat id order."""
        rows = await self._db.fetchall(
            f"""
            SELECT {_COLUMNS} FROM group_alerts
            WHERE final_states = 1 OR not_enough_money = 1 OR low_balance = 1 OR outages = 1
            ORDER BY chat_id
            """
        )
        return [self._alerts(row) for row in rows]

    async def set_armed(self, chat_id: int, armed: bool) -> bool:
        """Arm or disarm the group's low-balance alert; True only if this call changed it
        (of two processes racing to disarm, one sends the alert)."""
        changed = await self._db.execute(
            "UPDATE group_alerts SET armed = ?, updated_at = ? WHERE chat_id = ? AND armed = ?",
            (int(armed), to_db(self._db.now()), chat_id, int(not armed)),
        )
        return changed == 1

    async def move(self, old_chat_id: int, new_chat_id: int) -> bool:
        """The group became a supergroup: its row in ``group_chats``, its binding and what
        it was told go to the new id. A binding already made at the new id is kept. True
        if there was a binding to move."""
        if old_chat_id == new_chat_id:
            return False
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            await conn.execute(
                """
                INSERT INTO group_chats (chat_id, chat_type, title, added_by, noticed_at,
                                         created_at, updated_at)
                SELECT ?, 'supergroup', title, added_by, noticed_at, created_at, ?
                FROM group_chats WHERE chat_id = ?
                ON CONFLICT (chat_id) DO NOTHING
                """,
                (new_chat_id, now, old_chat_id),
            )
            # The notices follow the binding (ON UPDATE CASCADE); what stays behind at the
            # old id goes with the old group's row (ON DELETE CASCADE).
            async with conn.execute(
                "UPDATE OR IGNORE group_alerts SET chat_id = ?, updated_at = ? WHERE chat_id = ?",
                (new_chat_id, now, old_chat_id),
            ) as cursor:
                moved = cursor.rowcount == 1
            await conn.execute("DELETE FROM group_chats WHERE chat_id = ?", (old_chat_id,))
        return moved

    # -- what a group was told about a dispatch --------------------------------

    async def notices(self, dispatch_id: int) -> dict[int, GroupNotice]:
        rows = await self._db.fetchall(
            "SELECT dispatch_id, chat_id, nem_alerted, final_sent FROM group_alert_notices "
            "WHERE dispatch_id = ?",
            (dispatch_id,),
        )
        return {
            row["chat_id"]: GroupNotice(
                row["dispatch_id"],
                row["chat_id"],
                bool(row["nem_alerted"]),
                bool(row["final_sent"]),
            )
            for row in rows
        }

    async def save_notice(self, notice: GroupNotice) -> bool:
        """Store what the group was told; False when the group is no longer bound (its
        row went while the message was on its way)."""
        try:
            await self._db.execute(
                """
                INSERT INTO group_alert_notices (dispatch_id, chat_id, nem_alerted, final_sent,
                                                 updated_at)
                VALUES (?, ?, ?, ?, ?)
                ON CONFLICT (dispatch_id, chat_id) DO UPDATE SET
                    nem_alerted = excluded.nem_alerted,
                    final_sent = excluded.final_sent,
                    updated_at = excluded.updated_at
                """,
                (
                    notice.dispatch_id,
                    notice.chat_id,
                    int(notice.nem_alerted),
                    int(notice.final_sent),
                    to_db(self._db.now()),
                ),
            )
        except sqlite3.IntegrityError:
            return False
        return True

    def _alerts(self, row: sqlite3.Row) -> GroupAlerts:
        threshold = row["threshold"]
        return GroupAlerts(
            chat_id=row["chat_id"],
            final_states=bool(row["final_states"]),
            not_enough_money=bool(row["not_enough_money"]),
            low_balance=bool(row["low_balance"]),
            threshold=Decimal(threshold) if threshold is not None else self._default_threshold,
            outages=bool(row["outages"]),
            armed=bool(row["armed"]),
            language=row["language"],
            screen_message_id=row["screen_message_id"],
            prompt_message_id=row["prompt_message_id"],
            bound_by=row["bound_by"],
        )


def _validated(fields: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for name, value in fields.items():
        if name in KINDS:
            if not isinstance(value, bool):
                raise TypeError(f"{name} must be a bool, got {value!r}")
            values[name] = int(value)
        elif name == "threshold":
            values[name] = None if value is None else str(_threshold(value))
        elif name == "language":
            if not isinstance(value, str) or not value:
                raise TypeError(f"language must be a language code, got {value!r}")
            values[name] = value
        elif name in _MESSAGE_FIELDS:
            if value is not None and (isinstance(value, bool) or not isinstance(value, int)):
                raise TypeError(f"{name} must be a message id or None, got {value!r}")
            values[name] = value
        else:
            raise TypeError(f"not a group alert setting: {name!r}")
    return values


def _threshold(value: Decimal | int) -> Decimal:
    # A float would carry binary noise into a money amount.
    if isinstance(value, bool) or not isinstance(value, Decimal | int):
        raise TypeError(f"threshold must be a Decimal or int, got {value!r}")
    amount = Decimal(value)
    if not amount.is_finite() or amount < 0:
        raise ValueError(f"threshold must be a finite amount of at least 0, got {value!r}")
    return amount
