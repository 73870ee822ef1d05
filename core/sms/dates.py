"""Date and time formats of the SMS API.

The API writes moments as ``dd.MM.yyyy HH:mm:ss`` wall-clock time in one configured
zone (no offset on the wire) and credit-limit days as ``dd.MM.yyyy``.
"""

from datetime import date, datetime
from zoneinfo import ZoneInfo

API_DATETIME_FORMAT = "%d.%m.%Y %H:%M:%S"
API_DATE_FORMAT = "%d.%m.%Y"


def parse_api_datetime(text: str, tz: ZoneInfo) -> datetime:
    """Read an API moment as an aware datetime in ``tz``."""
    return datetime.strptime(text.strip(), API_DATETIME_FORMAT).replace(tzinfo=tz)


def format_api_datetime(moment: datetime, tz: ZoneInfo) -> str:
    """Write a moment as the API expects it: wall-clock time in ``tz``.

    An aware datetime is converted to ``tz``; a naive one is taken as already being
    wall-clock time in ``tz``. Sub-second precision is dropped (the format has none).
    """
    if moment.tzinfo is not None:
        moment = moment.astimezone(tz)
    return moment.strftime(API_DATETIME_FORMAT)


def parse_api_date(text: str) -> date:
    """Read an API calendar day (credit-limit bounds)."""
    return datetime.strptime(text.strip(), API_DATE_FORMAT).date()


def format_api_date(day: date) -> str:
    return day.strftime(API_DATE_FORMAT)
