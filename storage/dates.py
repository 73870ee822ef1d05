"""How moments are written to and read from SQLite.

Every moment is stored as ISO 8601 in UTC with microseconds
(``2025-03-01T09:00:00.000000+00:00``): one fixed width, so text order is time order
and ``<=`` in SQL compares moments correctly.
"""

from collections.abc import Callable
from datetime import UTC, datetime

Clock = Callable[[], datetime]


def utc_now() -> datetime:
    return datetime.now(UTC)


def to_db(moment: datetime) -> str:
    if moment.tzinfo is None or moment.utcoffset() is None:
        # A naive datetime has no fixed meaning; refusing it keeps stored times unambiguous.
        raise ValueError(f"naive datetime {moment!r}: an aware datetime is required")
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def to_db_optional(moment: datetime | None) -> str | None:
    return None if moment is None else to_db(moment)


def from_db(text: str) -> datetime:
    return datetime.fromisoformat(text)


def from_db_optional(text: str | None) -> datetime | None:
    return None if text is None else from_db(text)
