"""What a report reads of the dispatches the bot follows: those sent within a period.

The figures are the latest anyone read of each dispatch (the poller, a Refresh, a card:
``known_*``, else the poller's ``last_status`` and counts), as the lists show them: the
SMS API has no list of dispatches, so a report costs no request per dispatch.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import datetime

from storage.dates import from_db, to_db
from storage.db import Database

# The moment a dispatch counts as sent: the send time asked for, else when the bot started
# following it (a dispatch sent at once). The expression of tracked_dispatches_sent_at.
_SENT_AT = "COALESCE(d.date_send, d.created_at)"
# The latest read of a figure: known_* once anyone read the dispatch beyond the poller.
_LATEST = """
    CASE WHEN d.known_status IS NULL THEN d.last_status ELSE d.known_status END AS status,
    CASE WHEN d.known_status IS NULL THEN d.messages_count ELSE d.known_count END AS parts,
    CASE WHEN d.known_status IS NULL THEN d.messages_sent ELSE d.known_sent END AS sent,
    CASE WHEN d.known_status IS NULL THEN d.messages_delivered ELSE d.known_delivered END
        AS delivered
"""


@dataclass(frozen=True)
class ReportDispatch:
    dispatch_id: int
    sent_at: datetime  # aware, UTC
    creator_id: int | None  # None = made elsewhere and followed with /track
    creator_name: str | None  # the creator's first name or @username as last seen
    recipients_desc: str
    text: str
    status: str | None  # the API's status name; None until first observed
    parts: int  # the API's messagesCount: SMS parts of every number together
    sent: int
    delivered: int
    observed_at: datetime  # when the bot last wrote these figures


def _dispatch(row: sqlite3.Row) -> ReportDispatch:
    return ReportDispatch(
        dispatch_id=row["dispatch_id"],
        sent_at=from_db(row["sent_at"]),
        creator_id=row["creator_id"],
        creator_name=row["first_name"] or (f"@{row['username']}" if row["username"] else None),
        recipients_desc=row["recipients_desc"],
        text=row["text"],
        status=row["status"],
        parts=row["parts"] or 0,
        sent=row["sent"] or 0,
        delivered=row["delivered"] or 0,
        observed_at=from_db(row["updated_at"]),
    )


class ReportRepo:
    def __init__(self, db: Database) -> None:
        self._db = db

    async def dispatches_between(self, start: datetime, end: datetime) -> list[ReportDispatch]:
        """The dispatches sent in [start, end), oldest first."""
        rows = await self._db.fetchall(
            f"""
            SELECT d.dispatch_id, {_SENT_AT} AS sent_at, d.creator_id, u.first_name,
                   u.username, d.recipients_desc, d.text, {_LATEST}, d.updated_at
            FROM tracked_dispatches AS d LEFT JOIN users AS u ON u.user_id = d.creator_id
            WHERE {_SENT_AT} >= ? AND {_SENT_AT} < ?
            ORDER BY {_SENT_AT}, d.dispatch_id
            """,
            (to_db(start), to_db(end)),
        )
        return [_dispatch(row) for row in rows]
