"""Date and time formats of the SMS API.

The reference says every moment is ``dd.MM.yyyy HH:mm:ss`` wall-clock time in one zone
(no offset on the wire), yet prints the credit limit's days as ``dd.MM.yyyy``. Both are
read either way (a moment without seconds too); the bot always writes the full form.
"""

from __future__ import annotations

from datetime import date, datetime
from zoneinfo import ZoneInfo

API_DATETIME_FORMAT = "%d.%m.%Y %H:%M:%S"
API_DATE_FORMAT = "%d.%m.%Y"
# What a moment may look like on the wire, the reference's form first.
_MOMENT_FORMATS = (API_DATETIME_FORMAT, "%d.%m.%Y %H:%M")
_DAY_FORMATS = (API_DATE_FORMAT, *_MOMENT_FORMATS)


def _parse(text: str, formats: tuple[str, ...], reference_form: str) -> datetime:
    cleaned = text.strip()
    for form in formats:
        try:
            return datetime.strptime(cleaned, form)
        except ValueError:
            continue
    raise ValueError(f"a date {reference_form}")


def parse_api_datetime(text: str, tz: ZoneInfo) -> datetime:
    """Read an API moment (``dd.MM.yyyy HH:mm:ss``, or without seconds) in ``tz``."""
    return _parse(text, _MOMENT_FORMATS, "dd.MM.yyyy HH:mm:ss").replace(tzinfo=tz)


def format_api_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """Write a moment as the API expects it: wall-clock time in ``tz``.

    An aware datetime is converted to ``tz``; a naive one is taken as already being
    wall-clock time in ``tz``. Sub-second precision is dropped (the format has none).
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.strftime(API_DATETIME_FORMAT)


def parse_api_date(text: str) -> date:
    """Read an API calendar day (credit-limit bounds): ``dd.MM.yyyy``, or a moment's form."""
    return _parse(text, _DAY_FORMATS, "dd.MM.yyyy").date()


def format_api_date(day: date) -> str:
    return day.strftime(API_DATE_FORMAT)
