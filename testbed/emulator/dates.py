"""The API's date formats, read and written in one IANA time zone."""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

DATETIME_FORMAT = "%d.%m.%Y %H:%M:%S"  # the API's dd.MM.yyyy HH:mm:ss
DATE_FORMAT = "%d.%m.%Y"  # the credit limit's dd.MM.yyyy
MINUTES_FORMAT = "%d.%m.%Y %H:%M"  # dd.MM.yyyy HH:mm, of a server that drops the seconds
_DATETIME_SHAPE = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}:\d{2}")
_MINUTES_SHAPE = re.compile(r"\d{2}\.\d{2}\.\d{4} \d{2}:\d{2}")
_DATE_SHAPE = re.compile(r"\d{2}\.\d{2}\.\d{4}")


class ApiDates:
    """Converts between aware datetimes and the API's strings in the API's zone."""

    def __init__(self, zone: ZoneInfo) -> None:
        self.zone = zone

    def format_datetime(self, moment: datetime) -> str:
        return moment.astimezone(self.zone).strftime(DATETIME_FORMAT)

    def parse_datetime(self, text: str) -> datetime:
        """Read ``dd.MM.yyyy HH:mm:ss`` in the API's zone; ValueError if malformed."""
        if not _DATETIME_SHAPE.fullmatch(text):
            raise ValueError(f"not a dd.MM.yyyy HH:mm:ss date: {text!r}")
        return datetime.strptime(text, DATETIME_FORMAT).replace(tzinfo=self.zone).astimezone(UTC)

    def format_minutes(self, moment: datetime) -> str:
        """``dd.MM.yyyy HH:mm``: the seconds are dropped, not rounded, as a formatter does."""
        return moment.astimezone(self.zone).strftime(MINUTES_FORMAT)

    def parse_minutes(self, text: str) -> datetime:
        """Read ``dd.MM.yyyy HH:mm`` in the API's zone; ValueError if malformed."""
        if not _MINUTES_SHAPE.fullmatch(text):
            raise ValueError(f"not a dd.MM.yyyy HH:mm date: {text!r}")
        return datetime.strptime(text, MINUTES_FORMAT).replace(tzinfo=self.zone).astimezone(UTC)

    def format_date_at_midnight(self, day: date) -> str:
        """A date as a date-time at its start, ``dd.MM.yyyy 00:00:00``."""
        return datetime.combine(day, time()).strftime(DATETIME_FORMAT)

    def format_date(self, day: date) -> str:
        return day.strftime(DATE_FORMAT)

    def parse_date(self, text: str) -> date:
        if not _DATE_SHAPE.fullmatch(text):
            raise ValueError(f"not a dd.MM.yyyy date: {text!r}")
        return datetime.strptime(text, DATE_FORMAT).date()

    def today(self, moment: datetime) -> date:
        """The calendar day that ``moment`` falls on in the API's zone."""
        return moment.astimezone(self.zone).date()
