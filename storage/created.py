"""What a successful create leaves behind, written at once or kept until it can be.

A create the operator accepted must never be forgotten: its draft becomes ``sent`` with
the dispatch's number, the dispatch is followed for its creator, and the audit log has it.
:class:`CreatedRepo` writes all of that in one transaction (a second write of the same
create changes nothing). When the database cannot take it (a full disk, a lock held by
another process), :class:`PendingCreates` keeps it in memory and, as far as the disk
allows, in a small file beside the database, until a later write succeeds.
"""

from __future__ import annotations

import json
import logging
import os
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Any

from storage.audit import INSERT_ENTRY, encode_details
from storage.dates import from_db_optional, to_db, to_db_optional
from storage.db import Database
from storage.dispatches import INSERT_TRACKED
from storage.subscriptions import INSERT_SUBSCRIPTION

log = logging.getLogger(__name__)

AUDIT_CREATE = "dispatch.create"


@dataclass(frozen=True)
class CreatedDispatch:
    draft_id: str
    user_id: int  # who confirmed: the creator, who follows it
    dispatch_id: int | None  # None: the service said "created" without a readable number
    recipients_desc: str
    text: str
    date_send: datetime | None
    details: dict[str, Any] = field(default_factory=dict)  # for the audit entry
    actor_id: int | None = None  # who made it go, when not the creator (an approver)

    def to_json(self) -> dict[str, Any]:
        return {**asdict(self), "date_send": to_db_optional(self.date_send)}

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> CreatedDispatch:
        return cls(**{**data, "date_send": from_db_optional(data.get("date_send"))})


class CreatedRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def record(self, created: CreatedDispatch) -> bool:
        """Write the create; False if it was written before (nothing changes then).

        The draft may be ``sending`` (the usual case) or ``unknown`` (a restart found it
        stuck before its number could be written): either way the number is now known.
        """
        now = to_db(self._db.now())
        async with self._db.transaction(immediate=True) as conn:
            moved = await conn.execute(
                """
                UPDATE drafts SET state = 'sent', dispatch_id = COALESCE(?, dispatch_id),
                                  updated_at = ?
                WHERE id = ? AND state IN ('sending', 'unknown')
                """,
                (created.dispatch_id, now, created.draft_id),
            )
            if moved.rowcount != 1:
                return False
            if created.dispatch_id is not None:
                await conn.execute(
                    INSERT_TRACKED,
                    (
                        created.dispatch_id,
                        created.user_id,
                        created.recipients_desc,
                        created.text,
                        to_db_optional(created.date_send),
                        now,
                        now,
                    ),
                )
                await conn.execute(INSERT_SUBSCRIPTION, (created.dispatch_id, created.user_id, now))
                # A search a restart began for it is over: the number is known.
                await conn.execute(
                    "UPDATE lost_creates SET state = 'found', found_id = ?, updated_at = ? "
                    "WHERE draft_id = ? AND state = 'searching'",
                    (created.dispatch_id, now, created.draft_id),
                )
            await conn.execute(
                INSERT_ENTRY,
                (
                    created.user_id if created.actor_id is None else created.actor_id,
                    AUDIT_CREATE,
                    created.dispatch_id,
                    created.draft_id,
                    encode_details(created.details),
                    now,
                ),
            )
        return True


def pending_creates_path(database: str | Path) -> Path:
    """Beside the database, so that a backup of the folder has it too."""
    path = Path(database)
    return path.with_name(path.name + ".pending-creates.json")


class PendingCreates:
    """Creates not yet written to the database, by draft id."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._items: dict[str, CreatedDispatch] = self._load()

    def add(self, created: CreatedDispatch) -> None:
        self._items[created.draft_id] = created
        self._save()

    def remove(self, draft_id: str) -> None:
        if self._items.pop(draft_id, None) is not None:
            self._save()

    def items(self) -> list[CreatedDispatch]:
        return list(self._items.values())

    def _load(self) -> dict[str, CreatedDispatch]:
        try:
            raw = json.loads(self.path.read_text(encoding="utf-8"))
            found = [CreatedDispatch.from_json(item) for item in raw]
        except FileNotFoundError:
            return {}
        except (OSError, ValueError, TypeError) as error:
            # Unreadable: kept aside for a person, never silently dropped.
            log.error("Pending creates in %s not readable: %s", self.path, error)
            return {}
        return {created.draft_id: created for created in found}

    def _save(self) -> None:
        """Best effort: the disk may be the very thing that failed. In memory they stay."""
        try:
            if not self._items:
                self.path.unlink(missing_ok=True)
                return
            partial = self.path.with_name(self.path.name + ".partial")
            data = json.dumps([item.to_json() for item in self._items.values()], ensure_ascii=False)
            # Private like the database: it holds SMS texts.
            descriptor = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
            with os.fdopen(descriptor, "w", encoding="utf-8") as file:
                file.write(data)
            os.replace(partial, self.path)
        except OSError as error:
            log.error("Pending creates not saved to %s: %s", self.path, error)
