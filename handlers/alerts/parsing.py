"""Reading what a person types on the /alerts screen: a threshold, quiet hours."""

from __future__ import annotations

import re
from decimal import Decimal

MAX_THRESHOLD = Decimal(1_000_000_000)
_AMOUNT = re.compile(r"\d{1,10}(?:\.\d{1,2})?")
_SPAN = re.compile(r"(\d{1,2})(?:[:.](\d{2}))?\s*[-–—]\s*(\d{1,2})(?:[:.](\d{2}))?")
_SPACES = re.compile(r"[\s\u00a0\u202f']+")


def parse_threshold(text: str) -> Decimal | None:
    """``150``, ``99.50``, ``99,5``, ``1 000``: an amount from 0 to MAX_THRESHOLD with at
    most two decimals; anything else (a sign, an exponent, letters) is None."""
    cleaned = _SPACES.sub("", text).replace(",", ".")
    if not _AMOUNT.fullmatch(cleaned):
        return None
    amount = Decimal(cleaned)
    return amount if amount <= MAX_THRESHOLD else None


def parse_quiet_hours(text: str) -> tuple[int, int] | None:
    """``22:00-08:00`` (or ``22-8``, ``22.30–7.15``) as minutes of the day; None if it is
    not two valid times of day."""
    match = _SPAN.fullmatch(text.strip())
    if match is None:
        return None
    start = _minute_of_day(match[1], match[2])
    end = _minute_of_day(match[3], match[4])
    if start is None or end is None:
        return None
    return start, end


def _minute_of_day(hours: str, minutes: str | None) -> int | None:
    h, m = int(hours), int(minutes or 0)
    if h > 23 or m > 59:
        return None
    return h * 60 + m


def format_minute(minute: int) -> str:
    return f"{minute // 60:02d}:{minute % 60:02d}"
